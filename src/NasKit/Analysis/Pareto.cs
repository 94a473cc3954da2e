namespace NasKit.Analysis;

/// <summary>
/// Pareto dominance over points where every coordinate is to be minimised (negate what you maximise). Pure math,
/// no allocation beyond the results.
/// </summary>
public static class Pareto
{
    /// <summary>a dominates b: no worse in every coordinate and strictly better in one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        bool strictly = false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i]) return false;
            if (a[i] < b[i]) strictly = true;
        }
        return strictly;
    }

    /// <summary>Indices of the non-dominated points (duplicates of a front point are all kept).</summary>
    public static int[] Front(IReadOnlyList<IReadOnlyList<double>> points)
    {
        if (points.Count > 0 && points[0].Count == 2) return Front2D(points);
        return Enumerable.Range(0, points.Count).Where(i => !points.Any(q => Dominates(q, points[i]))).ToArray();
    }

    private static int[] Front2D(IReadOnlyList<IReadOnlyList<double>> p)
    {
        // Sort by the first coordinate, then the second; a point is on the front if its second coordinate is
        // below every earlier point's (ties in both coordinates kept together). O(n log n).
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i][0]).ThenBy(i => p[i][1]).ToArray();
        var front = new List<int>();
        double best = double.PositiveInfinity;
        double lastX = double.NaN, lastY = double.NaN;
        foreach (int i in order)
        {
            if (p[i][1] < best) { front.Add(i); best = p[i][1]; (lastX, lastY) = (p[i][0], p[i][1]); }
            else if (p[i][0] == lastX && p[i][1] == lastY) front.Add(i); // exact duplicate of a front point
        }
        return front.Order().ToArray();
    }

    /// <summary>Fast non-dominated sorting (Deb et al. 2002): the rank (0 = first front) of every point.</summary>
    public static int[] NonDominatedRanks(IReadOnlyList<IReadOnlyList<double>> points)
    {
        int n = points.Count;
        var dominated = new List<int>[n];
        var count = new int[n];
        var rank = new int[n];
        var current = new List<int>();
        for (int i = 0; i < n; i++)
        {
            dominated[i] = new List<int>();
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                if (Dominates(points[i], points[j])) dominated[i].Add(j);
                else if (Dominates(points[j], points[i])) count[i]++;
            }
            if (count[i] == 0) current.Add(i);
        }
        int r = 0;
        while (current.Count > 0)
        {
            var next = new List<int>();
            foreach (int i in current)
            {
                rank[i] = r;
                foreach (int j in dominated[i]) if (--count[j] == 0) next.Add(j);
            }
            current = next;
            r++;
        }
        return rank;
    }

    /// <summary>NSGA-II crowding distance of each point within its own set (boundary points get infinity).</summary>
    public static double[] CrowdingDistance(IReadOnlyList<IReadOnlyList<double>> points)
    {
        int n = points.Count;
        var d = new double[n];
        if (n == 0) return d;
        int m = points[0].Count;
        for (int k = 0; k < m; k++)
        {
            var order = Enumerable.Range(0, n).OrderBy(i => points[i][k]).ToArray();
            double min = points[order[0]][k], max = points[order[^1]][k];
            d[order[0]] = d[order[^1]] = double.PositiveInfinity;
            if (max == min) continue;
            for (int j = 1; j < n - 1; j++)
                d[order[j]] += (points[order[j + 1]][k] - points[order[j - 1]][k]) / (max - min);
        }
        return d;
    }
}
