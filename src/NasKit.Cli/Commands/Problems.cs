using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Experiments;
using NasKit.Spaces;

namespace NasKit.Cli.Commands;

/// <summary>How commands find spaces, benchmarks and evaluators by name: through the catalogs, never by a switch on names.</summary>
internal static class Problems
{
    public static T WithSpace<T>(string name, ISpaceVisitor<T> visitor) => Catalog<ISpaceEntry>.Get(name).Accept(visitor);

    public static T WithBenchmark<T>(string descriptor, IBenchmarkVisitor<T> visitor) => BenchmarkCatalog.With(descriptor, visitor);

    /// <summary>
    /// The stand-alone quality of a space's architectures from the benchmark named like the space (NB201's 200-epoch
    /// test accuracy), or null when no benchmark covers the space.
    /// </summary>
    public static Func<TArch, double>? Truth<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture
    {
        if (Catalog<IBenchmarkEntry>.Find(space.Name) is not { } entry) return null;
        var benchmark = entry.Accept(new Cast<TArch>(), new EvaluatorArguments(new EvaluatorDescriptor(entry.Name, new Dictionary<string, string>())));
        if (benchmark is null) return null;
        return arch => benchmark.Evaluator.Evaluate(arch, benchmark.Fidelity)[benchmark.Outcome];
    }

    /// <summary>The benchmark's name and outcome metric for messages ("nb201 test_acc").</summary>
    public static string? TruthName(string space) => Catalog<IBenchmarkEntry>.Find(space) is { } e ? $"{e.Name} benchmark" : null;

    private sealed class Cast<TArch> : IBenchmarkVisitor<TabularBenchmark<TArch>?> where TArch : class, IArchitecture
    {
        public TabularBenchmark<TArch>? Visit<T>(TabularBenchmark<T> benchmark) where T : class, IArchitecture => benchmark as TabularBenchmark<TArch>;
    }
}

/// <summary>
/// For commands that reproduce NB201 studies against NB201's published data (zero-cost scores, HW-NAS-Bench
/// latencies, the predictor study): their <c>--space</c> option names a catalog space, and only NB201's has that data.
/// </summary>
internal static class Nb201Only
{
    public static void Check(string space, string command, string what)
    {
        var entry = Catalog<ISpaceEntry>.Get(space); // unknown names fail with the catalog's list
        if (!entry.Accept(new IsNb201()))
            throw new ArgumentException($"'naskit {command}' {what}, which only NB201 has; space '{entry.Name}' has none. Use --space nb201.");
    }

    private sealed class IsNb201 : ISpaceVisitor<bool>
    {
        public bool Visit<TArch>(ISearchSpace<TArch> space) where TArch : class, IArchitecture => space is NasKit.SearchSpaces.Nb201.Nb201Space;
    }
}
