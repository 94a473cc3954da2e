using System.Globalization;
using System.Net;
using System.Text;

namespace NasKit.Reports;

/// <summary>
/// Demšar's (2006) critical-difference diagram as SVG: average ranks on an axis with the best rank on the right, the
/// critical difference as a bar, and thick lines joining methods whose ranks differ by less than it (no significant
/// difference by the Nemenyi test).
/// </summary>
public static class CriticalDifferenceDiagram
{
    /// <summary>Maximal groups of methods (indices into ranks sorted ascending) whose rank range is below the critical difference.</summary>
    public static IReadOnlyList<(int First, int Last)> Cliques(IReadOnlyList<double> sortedRanks, double cd)
    {
        var groups = new List<(int, int)>();
        for (int i = 0; i < sortedRanks.Count; i++)
        {
            int j = i;
            while (j + 1 < sortedRanks.Count && sortedRanks[j + 1] - sortedRanks[i] < cd) j++;
            // Kept only if it has two methods and is not inside the group started just before.
            if (j > i && (groups.Count == 0 || groups[^1].Item2 < j)) groups.Add((i, j));
        }
        return groups;
    }

    public static string Svg(IReadOnlyList<string> methods, IReadOnlyList<double> averageRanks, double cd, string caption)
    {
        var inv = CultureInfo.InvariantCulture;
        int k = methods.Count;
        var order = Enumerable.Range(0, k).OrderBy(i => averageRanks[i]).ToArray();
        var sorted = order.Select(i => averageRanks[i]).ToArray();
        const double width = 760, left = 170, right = 590, axisY = 70, rowHeight = 24;
        double X(double rank) => right - (rank - 1) / Math.Max(1, k - 1) * (right - left); // rank 1 on the right
        int leftCount = k / 2; // the worse half is labelled on the left
        double height = axisY + 40 + Math.Max(leftCount, k - leftCount) * rowHeight + 20;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\" role=\"img\">");
        sb.Append($"<title>{WebUtility.HtmlEncode(caption)}</title>");
        // Axis with integer ticks.
        sb.Append(inv, $"<line x1=\"{left}\" y1=\"{axisY}\" x2=\"{right}\" y2=\"{axisY}\" stroke=\"#222\" stroke-width=\"1.5\"/>");
        for (int r = 1; r <= k; r++)
        {
            sb.Append(inv, $"<line x1=\"{X(r):0.#}\" y1=\"{axisY - 6}\" x2=\"{X(r):0.#}\" y2=\"{axisY}\" stroke=\"#222\"/>");
            sb.Append(inv, $"<text x=\"{X(r):0.#}\" y=\"{axisY - 10}\" text-anchor=\"middle\">{r}</text>");
        }
        // The critical difference as a bar above the axis, from the worst rank's end.
        double cdStart = X(k), cdEnd = X(k) + cd / Math.Max(1, k - 1) * (right - left);
        sb.Append(inv, $"<line x1=\"{cdStart:0.#}\" y1=\"22\" x2=\"{Math.Min(cdEnd, width - 5):0.#}\" y2=\"22\" stroke=\"#c0392b\" stroke-width=\"2\"/>");
        sb.Append(inv, $"<line x1=\"{cdStart:0.#}\" y1=\"17\" x2=\"{cdStart:0.#}\" y2=\"27\" stroke=\"#c0392b\" stroke-width=\"2\"/><line x1=\"{Math.Min(cdEnd, width - 5):0.#}\" y1=\"17\" x2=\"{Math.Min(cdEnd, width - 5):0.#}\" y2=\"27\" stroke=\"#c0392b\" stroke-width=\"2\"/>");
        sb.Append(inv, $"<text x=\"{(cdStart + Math.Min(cdEnd, width - 5)) / 2:0.#}\" y=\"14\" text-anchor=\"middle\" fill=\"#c0392b\">CD = {cd:0.00}</text>");
        // Methods: a drop line from the rank, then a horizontal line to the label.
        for (int s = 0; s < k; s++)
        {
            bool onRight = s < k - leftCount; // the better ranks
            int row = onRight ? s : k - 1 - s;
            double y = axisY + 40 + row * rowHeight, x = X(sorted[s]);
            double end = onRight ? right + 20 : left - 20;
            sb.Append(inv, $"<polyline points=\"{x:0.#},{axisY} {x:0.#},{y:0.#} {end:0.#},{y:0.#}\" fill=\"none\" stroke=\"#555\"/>");
            string label = WebUtility.HtmlEncode(string.Create(inv, $"{methods[order[s]]} ({sorted[s]:0.00})"));
            if (onRight) sb.Append(inv, $"<text x=\"{end + 4:0.#}\" y=\"{y + 4:0.#}\">{label}</text>");
            else sb.Append(inv, $"<text x=\"{end - 4:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{label}</text>");
        }
        // Groups that are not significantly different, as thick bars just below the axis.
        var cliques = Cliques(sorted, cd);
        for (int c = 0; c < cliques.Count; c++)
        {
            var (a, b) = cliques[c];
            double y = axisY + 12 + c * 7;
            sb.Append(inv, $"<line x1=\"{X(sorted[a]) + 3:0.#}\" y1=\"{y:0.#}\" x2=\"{X(sorted[b]) - 3:0.#}\" y2=\"{y:0.#}\" stroke=\"#111\" stroke-width=\"4\" stroke-linecap=\"round\"/>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
