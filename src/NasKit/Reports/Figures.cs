using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace NasKit.Reports;

/// <summary>
/// A plotly.js figure as data (its traces and layout), drawn by the plotly.js a page or notebook embeds once. The
/// reports and the notebooks draw with the same builders (<see cref="Figures"/>), so they share one style.
/// </summary>
public sealed record Figure(JsonArray Traces, JsonObject Layout)
{
    public int Height => (int?)Layout["height"] ?? 420;

    /// <summary>A div and the script that draws into it; <paramref name="id"/> must be unique in the page (default: a fresh one).</summary>
    public string ToHtml(string? id = null)
    {
        id = WebUtility.HtmlEncode(id ?? "naskit-" + Guid.NewGuid().ToString("N"));
        return $"<div class=\"plot\" id=\"{id}\" style=\"width:100%;height:{Height}px\"></div>" +
               $"<script>Plotly.newPlot('{id}',{Traces.ToJsonString()},{Layout.ToJsonString()},{{displayModeBar:false,responsive:true}});</script>";
    }
}

/// <summary>The kit's charts: median-and-band curves, box plots of runs, fronts, small-multiple scatters and heatmaps.</summary>
public static class Figures
{
    public static readonly IReadOnlyList<string> Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Colour(int i) => Palette[i % Palette.Count];

    /// <summary>One line (the centre) and one shaded band (lower to upper) per series, in the same colour; points where the centre is not finite are left out.</summary>
    public static Figure Bands(IReadOnlyList<AnytimeSeries> series, string xTitle, string yTitle, bool logX = false, bool logY = false, int height = 420)
    {
        var traces = new JsonArray();
        for (int i = 0; i < series.Count; i++)
        {
            var a = series[i];
            string colour = Colour(i);
            var keep = Enumerable.Range(0, a.Budget.Count).Where(j => double.IsFinite(a.Median[j])).ToArray();
            traces.Add(new JsonObject
            {
                ["x"] = Numbers(keep.Concat(keep.Reverse()).Select(j => a.Budget[j])),
                ["y"] = Numbers(keep.Select(j => a.Upper[j]).Concat(keep.Reverse().Select(j => a.Lower[j]))),
                ["fill"] = "toself", ["fillcolor"] = Rgba(colour, 0.15), ["line"] = new JsonObject { ["width"] = 0 },
                ["hoverinfo"] = "skip", ["showlegend"] = false, ["legendgroup"] = a.Strategy, ["type"] = "scatter", ["mode"] = "lines",
            });
            traces.Add(new JsonObject
            {
                ["x"] = Numbers(keep.Select(j => a.Budget[j])), ["y"] = Numbers(keep.Select(j => a.Median[j])), ["name"] = a.Strategy,
                ["legendgroup"] = a.Strategy, ["mode"] = keep.Length <= 12 ? "lines+markers" : "lines",
                ["line"] = new JsonObject { ["color"] = colour, ["width"] = 2 }, ["type"] = "scatter",
            });
        }
        return new Figure(traces, Layout(xTitle, yTitle, logX, logY, height));
    }

    /// <summary>Bands from mean ± spread per series (a spread of 0 draws the line alone).</summary>
    public static Figure Bands(IEnumerable<(string Name, double[] X, double[] Mean, double[] Spread)> series, string xTitle, string yTitle,
                               bool logX = false, bool logY = false, int height = 420) =>
        Bands(series.Select(s => new AnytimeSeries(s.Name, s.X, s.Mean, s.Mean.Select((m, i) => m - s.Spread[i]).ToArray(),
                                                   s.Mean.Select((m, i) => m + s.Spread[i]).ToArray())).ToArray(), xTitle, yTitle, logX, logY, height);

    /// <summary>One box per group with every value as a point (a box plot of seeded runs), on a category axis.</summary>
    public static Figure Box(IEnumerable<(string Name, IReadOnlyList<double> Values)> groups, string yTitle, int height = 360)
    {
        var traces = new JsonArray();
        foreach (var ((name, values), i) in groups.Select((g, i) => (g, i)))
            traces.Add(new JsonObject
            {
                ["type"] = "box", ["name"] = name, ["y"] = Numbers(values),
                ["boxpoints"] = "all", ["jitter"] = 0.45, ["pointpos"] = 0, ["marker"] = new JsonObject { ["size"] = 4, ["color"] = Colour(i) },
                ["line"] = new JsonObject { ["color"] = Colour(i) }, ["showlegend"] = false,
            });
        var layout = Layout("", yTitle, false, false, height);
        layout["xaxis"]!["type"] = "category";
        return new Figure(traces, layout);
    }

    /// <summary>Step lines through points (fronts), the first series dotted grey when <paramref name="referenceFirst"/> (a true front).</summary>
    public static Figure Fronts(IEnumerable<(string Name, IReadOnlyList<double[]> Points)> series, string xTitle, string yTitle, bool referenceFirst = false, int height = 420)
    {
        var traces = new JsonArray();
        int colour = 0;
        foreach (var ((name, points), i) in series.Select((s, i) => (s, i)))
        {
            bool reference = referenceFirst && i == 0;
            traces.Add(new JsonObject
            {
                ["x"] = Numbers(points.Select(v => v[0])), ["y"] = Numbers(points.Select(v => v[1])), ["name"] = name, ["mode"] = "lines+markers", ["type"] = "scatter",
                ["line"] = reference ? new JsonObject { ["color"] = "#444", ["shape"] = "hv", ["dash"] = "dot" } : new JsonObject { ["color"] = Colour(colour++), ["shape"] = "hv" },
                ["marker"] = reference ? new JsonObject { ["size"] = 5, ["color"] = "#444" } : new JsonObject { ["size"] = 6 },
            });
        }
        return new Figure(traces, Layout(xTitle, yTitle, false, false, height));
    }

    /// <summary>Small multiples: one scatter per panel, three to a row, each with its own axes and its name in the corner.</summary>
    public static Figure ScatterGrid(IReadOnlyList<(string Name, double[] X, double[] Y)> panels, double[]? xRange = null, int panelHeight = 230)
    {
        var traces = new JsonArray();
        int columns = Math.Min(3, panels.Count), rows = (panels.Count + columns - 1) / columns;
        var layout = Layout("", "", false, false, panelHeight * rows);
        layout.Remove("xaxis");
        layout.Remove("yaxis");
        layout["margin"] = new JsonObject { ["l"] = 50, ["r"] = 10, ["t"] = 10, ["b"] = 30 };
        layout["grid"] = new JsonObject { ["rows"] = rows, ["columns"] = columns, ["pattern"] = "independent" };
        layout["showlegend"] = false;
        var annotations = new JsonArray();
        for (int i = 0; i < panels.Count; i++)
        {
            var (name, x, y) = panels[i];
            string suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            traces.Add(new JsonObject
            {
                ["x"] = Numbers(x.Select(v => Math.Round(v, 4))), ["y"] = Numbers(y), ["mode"] = "markers", ["type"] = "scatter", ["name"] = name,
                ["xaxis"] = "x" + suffix, ["yaxis"] = "y" + suffix, ["marker"] = new JsonObject { ["size"] = 4, ["color"] = Colour(i), ["opacity"] = 0.7 },
            });
            var axis = new JsonObject { ["showticklabels"] = i >= panels.Count - columns };
            if (xRange is { Length: 2 }) axis["range"] = Numbers(xRange);
            layout["xaxis" + suffix] = axis;
            annotations.Add(new JsonObject
            {
                ["text"] = name, ["showarrow"] = false, ["xref"] = $"x{suffix} domain", ["yref"] = $"y{suffix} domain", ["x"] = 0.02, ["y"] = 0.98,
                ["xanchor"] = "left", ["yanchor"] = "top", ["font"] = new JsonObject { ["size"] = 12 },
            });
        }
        layout["annotations"] = annotations;
        return new Figure(traces, layout);
    }

    /// <summary>
    /// A heatmap: rows <paramref name="y"/> top to bottom, columns <paramref name="x"/>, values z[row][column]; with
    /// <paramref name="valueFormat"/> (a d3 format such as ".2f") each cell also shows its value.
    /// </summary>
    public static Figure Heatmap(double[][] z, IReadOnlyList<string> x, IReadOnlyList<string> y, string title, int height = 360, string? valueFormat = null)
    {
        var trace = new JsonObject
        {
            ["type"] = "heatmap", ["colorscale"] = "Viridis",
            ["z"] = new JsonArray(z.Select(row => (JsonNode)Numbers(row)).ToArray()),
            ["x"] = new JsonArray(x.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()), ["y"] = new JsonArray(y.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
        };
        if (valueFormat is not null) trace["texttemplate"] = $"%{{z:{valueFormat}}}";
        var layout = Layout("", "", false, false, height);
        layout["title"] = new JsonObject { ["text"] = title };
        layout["margin"]!["t"] = 40;
        layout["yaxis"]!["autorange"] = "reversed";
        layout["yaxis"]!["type"] = "category";
        layout["xaxis"]!["type"] = "category";
        return new Figure(new JsonArray(trace), layout);
    }

    private static JsonObject Layout(string xTitle, string yTitle, bool logX, bool logY, int height) => new()
    {
        ["height"] = height, ["margin"] = new JsonObject { ["l"] = 70, ["r"] = 20, ["t"] = 20, ["b"] = 50 },
        ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle }, ["type"] = logX ? "log" : "linear" },
        ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle }, ["type"] = logY ? "log" : "linear" },
        ["legend"] = new JsonObject { ["orientation"] = "h", ["y"] = -0.18 }, ["template"] = null,
        ["paper_bgcolor"] = "white", ["plot_bgcolor"] = "#fafafa",
    };

    // Plotly reads NaN as JSON null (a gap); System.Text.Json would refuse to write NaN.
    private static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? (JsonNode)JsonValue.Create(v) : null).ToArray());

    private static string Rgba(string hex, double alpha) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},{alpha.ToString(CultureInfo.InvariantCulture)})";
}
