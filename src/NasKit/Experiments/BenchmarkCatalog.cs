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

    private sealed class Checked<T>(IBenchmarkVisitor<T> inner, EvaluatorArguments arguments) : IBenchmarkVisitor<T>
    {
        public T Visit<TArch>(TabularBenchmark<TArch> benchmark) where TArch : class, IArchitecture
        {
            arguments.CheckAllUsed();
            return inner.Visit(benchmark);
        }
    }
}
