using System.Reflection;

namespace NasKit.Reports;

/// <summary>
/// The plotly.js bundle that ships inside Plotly.NET, read from its resources so reports embed it and need no network.
/// Only the resource is read: nothing of Plotly.NET (or F#) runs.
/// </summary>
public static class PlotlyJs
{
    public static string Source()
    {
        Assembly? plotly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Plotly.NET");
        if (plotly is null)
        {
            try { plotly = Assembly.Load("Plotly.NET"); }
            catch (FileNotFoundException)
            {
                throw new FileNotFoundException("plotly.js is read from Plotly.NET, which this program does not ship; reference the Plotly.NET package (the naskit CLI and the notebooks do).");
            }
        }
        var name = plotly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
                   ?? throw new InvalidDataException($"{plotly.FullName} has no plotly .min.js resource; use the Plotly.NET version in Directory.Packages.props.");
        using var reader = new StreamReader(plotly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }
}
