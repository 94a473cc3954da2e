// Shared set-up for the NasKit notebooks, loaded after the first cell's references:
//   #r "../artifacts/naskit/NasKit.dll"
//   #r "nuget: Plotly.NET, 6.0.0"
//   #r "nuget: Plotly.NET.CSharp, 0.14.0"
//   #r "nuget: Deedle, 8.1.0"
// It makes Plotly.NET and Deedle work in the kernel and charts render offline. Logic lives in the library.

using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Kernel;

// The kernel ships FSharp.Core 10.0 and has it loaded; Plotly.NET 6 and Deedle 8 ask for 10.1, which cannot
// load beside it. Bind those requests to the loaded copy, so every F# library shares one FSharp.Core.
static class FSharpCoreFix { public static bool Installed; }
if (!FSharpCoreFix.Installed)
{
    AppDomain.CurrentDomain.AssemblyResolve += (_, e) => new AssemblyName(e.Name).Name == "FSharp.Core"
        ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
        : null;
    FSharpCoreFix.Installed = true;
}

NasKit.Runtime.TorchRuntime.EnsureLoaded();

/// The one size setting of every chapter: NASKIT_SIZE=quick (CI and tests: the whole book in minutes on two cores)
/// or full (the default for readers and the main job: the sizes the chapters' conclusions need).
static T Sized<T>(T quick, T full) => NasKit.Runtime.RunSizes.Pick(quick, full);
display($"run size: {NasKit.Runtime.RunSizes.Current.ToString().ToLowerInvariant()} (set {NasKit.Runtime.RunSizes.Variable}=quick or full before starting the kernel)");

// plotly.js ships inside Plotly.NET; put it into the notebook once, so saved and offline notebooks render.
{
    var asm = typeof(Plotly.NET.GenericChart).Assembly;
    var name = asm.GetManifestResourceNames().First(n => n.EndsWith(".min.js"));
    using var reader = new StreamReader(asm.GetManifestResourceStream(name)!);
    var js = reader.ReadToEnd();
    // Hide AMD's define so the UMD bundle sets window.Plotly even where require.js is present.
    display(HTML($"<script type=\"text/javascript\">(function(){{var define=undefined;var module=undefined;var exports=undefined;{js}\n}}).call(window);</script>"));
}

/// Shows a Plotly.NET chart inline. The figure is Plotly.NET's own JSON, drawn by the plotly.js loaded above,
/// so the saved notebook carries the chart and needs no network.
/// Axis titles and size are set on the figure JSON, which keeps F#-only APIs out of C# cells.
void Show(Plotly.NET.GenericChart chart, string? xTitle = null, string? yTitle = null, int width = 800, int height = 420)
{
    var figure = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!;
    var layout = figure["layout"]!.AsObject();
    layout["width"] = width;
    layout["height"] = height;
    if (xTitle is not null) layout["xaxis"] = new System.Text.Json.Nodes.JsonObject { ["title"] = new System.Text.Json.Nodes.JsonObject { ["text"] = xTitle } };
    if (yTitle is not null) layout["yaxis"] = new System.Text.Json.Nodes.JsonObject { ["title"] = new System.Text.Json.Nodes.JsonObject { ["text"] = yTitle } };
    var json = figure.ToJsonString();
    var id = "naskit-" + Guid.NewGuid().ToString("N");
    display(HTML($"<div id=\"{id}\" style=\"width:100%;height:{height}px\"></div>" +
                 $"<script type=\"text/javascript\">(function(){{var f={json};window.Plotly.newPlot('{id}',f.data,f.layout,{{responsive:true}});}})();</script>"));
}

/// A Deedle frame as an HTML table (the kernel's default view of a frame is its object tree).
void ShowFrame<R, C>(Deedle.Frame<R, C> frame, int maxRows = 20)
{
    var sb = new System.Text.StringBuilder("<table><thead><tr><th></th>");
    foreach (var c in frame.ColumnKeys) sb.Append($"<th>{c}</th>");
    sb.Append("</tr></thead><tbody>");
    foreach (var r in frame.RowKeys.Take(maxRows))
    {
        sb.Append($"<tr><th>{r}</th>");
        foreach (var c in frame.ColumnKeys)
        {
            var v = frame.GetColumn<object>(c).TryGet(r);
            var text = v.HasValue ? (v.Value is double d ? d.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : v.Value?.ToString()) : "";
            sb.Append($"<td>{System.Net.WebUtility.HtmlEncode(text ?? "")}</td>");
        }
        sb.Append("</tr>");
    }
    sb.Append($"</tbody></table><p>{frame.RowCount} rows × {frame.ColumnCount} columns</p>");
    display(HTML(sb.ToString()));
}

/// Shows one of the kit's own figures (NasKit.Reports.Figures: bands, box plots, fronts, scatter grids, heatmaps),
/// the same charts the paper-style reports draw.
void Show(NasKit.Reports.Figure figure) => display(HTML(figure.ToHtml()));
