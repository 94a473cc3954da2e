namespace NasKit.Reports;

/// <summary>
/// One writer per output: a resumable output (a journal, a checkpoint folder) is held by an exclusive lock on a file
/// beside it (<c>OUT.lock</c>) for as long as a process writes it. A second process with the same output would otherwise resume from the
/// same rows and interleave its own, duplicating or tearing them. The lock is the operating system's (released when the
/// process dies, so a kill -9 leaves nothing to clean up); the lock file is deleted when the writer closes it.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly FileStream _stream;

    /// <summary>
    /// What .NET reports when another open file holds the lock: the errno of a refused flock on Unix (EWOULDBLOCK: 11 on
    /// Linux, 35 on macOS), ERROR_SHARING_VIOLATION (32) in the low word on Windows. Any other failure is not a second writer.
    /// </summary>
    private static bool HeldByAnother(IOException e) => e.HResult is 11 or 35 || (e.HResult & 0xFFFF) == 32 && e.HResult < 0;

    private OutputLock(FileStream stream) => _stream = stream;

    /// <summary>Locks <paramref name="output"/> (a file or a folder) or fails with a message naming it.</summary>
    public static OutputLock Acquire(string output)
    {
        // Beside the output, never inside: a folder that does not exist yet and one that does get the same lock.
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + ".lock";
        try { Directory.CreateDirectory(Path.GetDirectoryName(path)!); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the folder of {output} ({e.Message}); choose a folder you can write to.", e);
        }
        try
        {
            return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e) when (HeldByAnother(e))
        {
            throw new IOException($"Another naskit process is writing {output}; wait for it to finish (rerunning the same command then resumes), or give another output.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write beside {output} ({e.Message}); choose a folder you can write to.", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
