using NasKit.Catalogs;
using NasKit.Estimation;
using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>Benchmarks by descriptor (<c>nb201:dataset=cifar100</c>), through the catalog, never by a switch on names.</summary>
public static class BenchmarkCatalog
{
    /// <summary>Builds the benchmark and hands it to <paramref name="visitor"/>; an argument the benchmark did not read (<c>task</c> on nb201) is refused first.</summary>
    public static T With<T>(string descriptor, IBenchmarkVisitor<T> visitor)
    {
        var d = EvaluatorDescriptor.Parse(descriptor);
        var entry = Catalog<IBenchmarkEntry>.Get(d.Name);
        var arguments = new EvaluatorArguments(d);
        return entry.Accept(new Checked<T>(visitor, arguments), arguments);
    }

    /// <summary>
    /// Builds several benchmarks over one architecture type (NB201 on three data sets, one benchmark's tasks) and hands
    /// them to <paramref name="visitor"/> together; benchmarks of different spaces are refused.
    /// </summary>
    public static T WithAll<T>(IReadOnlyList<string> descriptors, IBenchmarkListVisitor<T> visitor)
    {
        if (descriptors.Count == 0) throw new ArgumentException("No benchmark named; give at least one descriptor (e.g. nb201:dataset=cifar10).");
        return With(descriptors[0], new Gather<T>(descriptors, visitor));
    }

    /// <summary>Short task names for descriptors: the arguments when all name one benchmark (<c>cifar100</c>, <c>jigsaw</c>), else the descriptors.</summary>
    public static string[] TaskNames(IReadOnlyList<string> descriptors)
    {
        var parsed = descriptors.Select(EvaluatorDescriptor.Parse).ToArray();
        bool oneBenchmark = parsed.All(d => d.Name == parsed[0].Name && d.Arguments.Count > 0);
        var names = oneBenchmark ? parsed.Select(d => string.Join(",", d.Arguments.Values)).ToArray() : descriptors.ToArray();
        return names.Distinct().Count() == names.Length ? names : descriptors.ToArray();
    }

    private sealed class Gather<T>(IReadOnlyList<string> descriptors, IBenchmarkListVisitor<T> inner) : IBenchmarkVisitor<T>
    {
        public T Visit<TArch>(TabularBenchmark<TArch> first) where TArch : class, IArchitecture
        {
            var all = new List<TabularBenchmark<TArch>> { first };
            foreach (var d in descriptors.Skip(1))
            {
                var other = With(d, new Cast<TArch>());
                if (other is null || other.Space.Name != first.Space.Name)
                    throw new ArgumentException($"Benchmark '{d}' covers another space than '{descriptors[0]}' ({first.Space.Name}); benchmarks compared together must share one space.");
                all.Add(other);
            }
            return inner.Visit(all);
        }
    }

    private sealed class Cast<TArch> : IBenchmarkVisitor<TabularBenchmark<TArch>?> where TArch : class, IArchitecture
    {
        public TabularBenchmark<TArch>? Visit<T>(TabularBenchmark<T> benchmark) where T : class, IArchitecture => benchmark as TabularBenchmark<TArch>;
    }

    private sealed class Checked<T>(IBenchmarkVisitor<T> inner, EvaluatorArguments arguments) : IBenchmarkVisitor<T>
    {
        public T Visit<TArch>(TabularBenchmark<TArch> benchmark) where TArch : class, IArchitecture
        {
            arguments.CheckAllUsed();
            return inner.Visit(benchmark);
        }
    }
}

/// <summary>Code that works on several benchmarks of one space at once (transfer between their tasks).</summary>
public interface IBenchmarkListVisitor<out TResult>
{
    TResult Visit<TArch>(IReadOnlyList<TabularBenchmark<TArch>> benchmarks) where TArch : class, IArchitecture;
}
