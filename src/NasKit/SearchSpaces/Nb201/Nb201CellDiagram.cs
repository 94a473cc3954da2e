using System.Globalization;
using System.Text;

namespace NasKit.SearchSpaces.Nb201;

/// <summary>
/// Draws an NB201 cell as an SVG picture of its DAG: nodes 0..3 left to right, one arc per edge labelled with
/// its op. <c>none</c> edges are drawn faint and dashed, since they carry nothing.
/// </summary>
public static class Nb201CellDiagram
{
    private static readonly Dictionary<Nb201Op, string> Colours = new()
    {
        [Nb201Op.None] = "#bbbbbb", [Nb201Op.SkipConnect] = "#2ca02c", [Nb201Op.NorConv1x1] = "#1f77b4",
        [Nb201Op.NorConv3x3] = "#d62728", [Nb201Op.AvgPool3x3] = "#9467bd",
    };

    public static string ToSvg(Nb201Cell cell, int width = 640)
    {
        var inv = CultureInfo.InvariantCulture;
        double step = (width - 80) / 3.0, y = 190;
        double X(int node) => 40 + node * step;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"240\" font-family=\"sans-serif\" font-size=\"12\">");
        for (int e = 0; e < Nb201Cell.EdgeCount; e++)
        {
            var (from, to) = Nb201Cell.Edges[e];
            var op = cell[e];
            double x1 = X(from), x2 = X(to), span = to - from, lift = 45 * span;
            string dash = op == Nb201Op.None ? " stroke-dasharray=\"4 4\"" : "";
            sb.Append(inv, $"<path d=\"M {x1} {y} Q {(x1 + x2) / 2} {y - 2 * lift} {x2} {y}\" fill=\"none\" stroke=\"{Colours[op]}\" stroke-width=\"2\"{dash}/>");
            sb.Append(inv, $"<text x=\"{(x1 + x2) / 2}\" y=\"{y - lift - 4}\" text-anchor=\"middle\" fill=\"{Colours[op]}\">{op.Name()}</text>");
        }
        for (int n = 0; n < 4; n++)
        {
            string label = n switch { 0 => "in", 3 => "out", _ => n.ToString(inv) };
            sb.Append(inv, $"<circle cx=\"{X(n)}\" cy=\"{y}\" r=\"16\" fill=\"#f5f5f5\" stroke=\"#333\"/>");
            sb.Append(inv, $"<text x=\"{X(n)}\" y=\"{y + 4}\" text-anchor=\"middle\">{label}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
