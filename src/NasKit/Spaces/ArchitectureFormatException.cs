namespace NasKit.Spaces;

/// <summary>Malformed architecture text. The message names what is wrong and where, and shows a valid form.</summary>
public sealed class ArchitectureFormatException : FormatException
{
    public string Text { get; }

    public ArchitectureFormatException(string text, string problem, string expectedForm)
        : base($"Malformed architecture '{Shorten(text)}': {problem}. Expected {expectedForm}.")
    {
        Text = text;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
