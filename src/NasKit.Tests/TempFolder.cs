namespace NasKit.Tests;

/// <summary>A fresh folder under the system's temporary folder, deleted with everything in it when disposed.</summary>
public sealed class TempFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Best effort: a failed cleanup must not hide the test's own outcome (a file a killed child process still holds).</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
