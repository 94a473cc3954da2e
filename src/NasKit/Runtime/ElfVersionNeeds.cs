using System.Buffers.Binary;
using System.Text;

namespace NasKit.Runtime;

/// <summary>
/// Reads and edits the symbol-version sections of an ELF64 little-endian shared object: the versions it
/// defines (<c>.gnu.version_d</c>) and the versions it needs from other libraries (<c>.gnu.version_r</c>).
/// TorchSharp's native glue needs this because it is built against a newer libstdc++ than Debian 12 ships.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>glibc's VER_FLG_WEAK: the loader only warns when such a version is missing.</summary>
    public const ushort WeakFlag = 0x2;

    public sealed record Need(string Library, string Version, ushort Flags, long FlagsOffset)
    {
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>Version names a library defines, e.g. GLIBCXX_3.4.30.</summary>
    public static IReadOnlySet<string> DefinedVersions(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (section, strtab) in Sections(bytes, ShtGnuVerdef))
        {
            long offset = section.Offset;
            for (int i = 0; i < section.Info; i++)
            {
                ushort count = U16(bytes, offset + 6);
                uint aux = U32(bytes, offset + 12), next = U32(bytes, offset + 16);
                long auxOffset = offset + aux;
                for (int j = 0; j < count; j++)
                {
                    result.Add(CString(bytes, strtab + U32(bytes, auxOffset)));
                    auxOffset += U32(bytes, auxOffset + 4);
                }
                if (next == 0) break;
                offset += next;
            }
        }
        return result;
    }

    /// <summary>Every (library, version) need of an object, with the file offset of its flags.</summary>
    public static IReadOnlyList<Need> Needs(string path) => Needs(File.ReadAllBytes(path));

    private static List<Need> Needs(byte[] bytes)
    {
        var result = new List<Need>();
        foreach (var (section, strtab) in Sections(bytes, ShtGnuVerneed))
        {
            long offset = section.Offset;
            for (int i = 0; i < section.Info; i++)
            {
                ushort count = U16(bytes, offset + 2);
                string file = CString(bytes, strtab + U32(bytes, offset + 4));
                uint aux = U32(bytes, offset + 8), next = U32(bytes, offset + 12);
                long auxOffset = offset + aux;
                for (int j = 0; j < count; j++)
                {
                    ushort flags = U16(bytes, auxOffset + 4);
                    string name = CString(bytes, strtab + U32(bytes, auxOffset + 8));
                    result.Add(new Need(file, name, flags, auxOffset + 4));
                    uint auxNext = U32(bytes, auxOffset + 12);
                    if (auxNext == 0) break;
                    auxOffset += auxNext;
                }
                if (next == 0) break;
                offset += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Marks as weak every need on <paramref name="library"/> whose version is not in
    /// <paramref name="available"/>. Writes a patched copy next to the file and renames it over the
    /// original, so a concurrent loader sees either the old or the new file, never half of one.
    /// Returns the versions it weakened (empty when nothing had to change).
    /// </summary>
    public static IReadOnlyList<string> WeakenMissing(string path, string library, IReadOnlySet<string> available)
    {
        var bytes = File.ReadAllBytes(path);
        var changed = new List<string>();
        foreach (var need in Needs(bytes))
        {
            if (need.Library != library || need.IsWeak || available.Contains(need.Version)) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)need.FlagsOffset), (ushort)(need.Flags | WeakFlag));
            changed.Add(need.Version);
        }
        if (changed.Count == 0) return changed;
        string temp = path + $".naskit-{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, bytes);
        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return changed;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static IEnumerable<(Section Section, long StrtabOffset)> Sections(byte[] b, uint type)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(0x28));
        int shentsize = U16(b, 0x3A), shnum = U16(b, 0x3C);
        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections[i] = new Section(U32(b, h + 4), (long)U64(b, h + 0x18), (long)U64(b, h + 0x20),
                U32(b, h + 0x28), U32(b, h + 0x2C));
        }
        foreach (var s in sections)
            if (s.Type == type && s.Link < sections.Length)
                yield return (s, sections[s.Link].Offset);
    }

    private static ushort U16(byte[] b, long o) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)o));
    private static uint U32(byte[] b, long o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)o));
    private static ulong U64(byte[] b, long o) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)o));

    private static string CString(byte[] b, long o)
    {
        int end = (int)o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)o, end - (int)o);
    }
}
