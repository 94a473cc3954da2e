namespace NasKit.Analysis;

/// <summary>
/// Exact hypervolume (the volume dominated by a set and bounded by a reference point) for minimisation, in
/// 2-D (sweep, O(n log n)) and 3-D (slicing along the third axis with an exact 2-D volume per slab, O(n² log n)).
/// Points that do not strictly dominate the reference point contribute nothing.
/// </summary>
public static class Hypervolume
{
    public static double Compute(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference) => reference.Count switch
    {
        2 => Compute2D(points.Select(p => (p[0], p[1])).ToArray(), reference[0], reference[1]),
        3 => Compute3D(points, reference),
        _ => throw new ArgumentException($"Exact hypervolume is implemented for 2 and 3 objectives, not {reference.Count}."),
    };

    public static double Compute2D(IReadOnlyList<(double X, double Y)> points, double refX, double refY)
    {
        var inside = points.Where(p => p.X < refX && p.Y < refY).OrderBy(p => p.X).ThenBy(p => p.Y).ToArray();
        double volume = 0, bestY = refY;
        foreach (var (x, y) in inside)
        {
            if (y >= bestY) continue; // dominated by a point with smaller x
            volume += (refX - x) * (bestY - y);
            bestY = y;
        }
        return volume;
    }

    private static double Compute3D(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> r)
    {
        var inside = points.Where(p => p[0] < r[0] && p[1] < r[1] && p[2] < r[2]).OrderBy(p => p[2]).ToArray();
        double volume = 0;
        for (int i = 0; i < inside.Length; i++)
        {
            // Slab between this point's z and the next one's (or the reference): its cross-section is the 2-D
            // hypervolume of every point with z at or below the slab's bottom.
            double top = i + 1 < inside.Length ? inside[i + 1][2] : r[2];
            double height = top - inside[i][2];
            if (height <= 0) continue;
            var slice = inside.Take(i + 1).Select(p => (p[0], p[1])).ToArray();
            volume += height * Compute2D(slice, r[0], r[1]);
        }
        return volume;
    }
}
