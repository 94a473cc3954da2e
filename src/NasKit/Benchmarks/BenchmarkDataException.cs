namespace NasKit.Benchmarks;

/// <summary>A benchmark file exists but is corrupt or not the expected table; the message names file, row and column.</summary>
public sealed class BenchmarkDataException(string message) : IOException(message);
