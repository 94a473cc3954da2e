using NasKit.Spaces;

namespace NasKit.Experiments;

/// <summary>Seeded samples of distinct architectures, as estimation studies draw them.</summary>
public static class ArchitectureSample
{
    /// <summary>
    /// <paramref name="count"/> distinct architectures: a seeded shuffle of the whole space when it can be listed
    /// (uniform without replacement; for a benchmark listed in its own order this is the sample 'naskit zerocost'
    /// draws), else draws from the space's own sampler until that many distinct ones are found.
    /// </summary>
    public static TArch[] Draw<TArch>(ISearchSpace<TArch> space, int count, int seed) where TArch : class, IArchitecture
    {
        if (count < 1) throw new ArgumentException($"A sample needs at least one architecture, got {count}.");
        if (space is IEnumerableSpace<TArch> all && all.Count <= 10_000_000)
        {
            if (count > all.Count) throw new ArgumentException($"Space '{space.Name}' has {all.Count:N0} architectures; a sample of {count:N0} distinct ones does not fit.");
            var order = Enumerable.Range(0, (int)all.Count).ToArray();
            new Random(seed).Shuffle(order);
            var listed = all.All().ToArray();
            return order.Take(count).Select(i => listed[i]).ToArray();
        }
        var rng = new Random(seed);
        var seen = new HashSet<string>();
        var sample = new List<TArch>(count);
        for (int attempts = 0; sample.Count < count; attempts++)
        {
            if (attempts > 100 * count + 1000)
                throw new ArgumentException($"Space '{space.Name}' gave only {sample.Count} distinct architectures in {attempts} draws; ask for fewer than {count}.");
            var a = space.Sample(rng);
            if (seen.Add(a.ToText())) sample.Add(a);
        }
        return sample.ToArray();
    }
}
