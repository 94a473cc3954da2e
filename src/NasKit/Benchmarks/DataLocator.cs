namespace NasKit.Benchmarks;

/// <summary>
/// The one place NasKit finds data: the folder named by <c>NASKIT_DATA</c>, then a <c>datasets/</c> folder in
/// the current directory or any parent (so notebooks in <c>notebooks/</c> find the repository's).
/// </summary>
public sealed class DataLocator
{
    public const string EnvironmentVariable = "NASKIT_DATA";

    public IReadOnlyList<string> Roots { get; }

    public DataLocator(params string[] roots) => Roots = roots;

    /// <summary>The default search roots, in order.</summary>
    public static DataLocator Default
    {
        get
        {
            var roots = new List<string>();
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env)) roots.Add(Path.GetFullPath(env));
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "datasets");
                if (Directory.Exists(candidate)) { roots.Add(candidate); break; }
            }
            return new DataLocator(roots.ToArray());
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), Lazy<object>> Loaded = new();

    /// <summary>
    /// <paramref name="load"/>'s result for this locator's roots, loaded once per process and kind of data (benchmark
    /// tables, a surrogate model) and shared by every caller. A load that fails is not remembered: the next call tries
    /// again, so a notebook can fix <c>NASKIT_DATA</c> and rerun the cell. <paramref name="name"/> tells apart data
    /// sets of the same kind.
    /// </summary>
    public T LoadOnce<T>(Func<DataLocator, T> load, string name = "") where T : class
    {
        var key = (typeof(T), name + "@" + string.Join("|", Roots));
        var lazy = Loaded.GetOrAdd(key, _ => new Lazy<object>(() => load(this)));
        try { return (T)lazy.Value; }
        catch
        {
            Loaded.TryRemove(new KeyValuePair<(Type, string), Lazy<object>>(key, lazy));
            throw;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Found = new();

    /// <summary>Every data file or folder this process has found, full paths: what a report's provenance hashes.</summary>
    public static IReadOnlyCollection<string> FoundPaths => Found.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The full path of a data file given relative to a data root, e.g. <c>nasbench201/nb201_acc_200ep.csv</c>.</summary>
    public string Find(string relativePath)
    {
        foreach (var root in Roots)
        {
            var path = Path.Combine(root, relativePath);
            if (File.Exists(path) || Directory.Exists(path))
            {
                Found.TryAdd(Path.GetFullPath(path), 0);
                return path;
            }
        }
        throw new DataNotFoundException(relativePath, Roots);
    }
}

/// <summary>A data file is missing: says which, where NasKit looked and how to get it.</summary>
public sealed class DataNotFoundException : FileNotFoundException
{
    public DataNotFoundException(string relativePath, IReadOnlyList<string> roots)
        : base(Describe(relativePath, roots), relativePath) { }

    /// <summary>For data the project's setup installs: <paramref name="remedy"/> replaces the generic advice.</summary>
    public DataNotFoundException(string relativePath, IReadOnlyList<string> roots, string remedy, Exception inner)
        : base($"Data '{relativePath}' not found ({Looked(roots)}): {remedy}.", relativePath, inner) { }

    private static string Looked(IReadOnlyList<string> roots) => roots.Count == 0
        ? $"no data root is set: {DataLocator.EnvironmentVariable} is empty and no datasets/ folder was found above {Directory.GetCurrentDirectory()}"
        : "looked in " + string.Join(", ", roots);

    private static string Describe(string relativePath, IReadOnlyList<string> roots)
    {
        return $"Data file '{relativePath}' not found ({Looked(roots)}). " +
               $"Set {DataLocator.EnvironmentVariable} to a folder that holds it, or place it under datasets/; " +
               $"datasets/README.md says what each data set is and where to obtain it.";
    }
}
