using System.Text;
using NasKit.Cli.Commands;
using NasKit.Tests.Execution;

namespace NasKit.Tests.Cli;

/// <summary>Every naskit command line the README and docs show parses: no option the docs mention is missing from the tool.</summary>
public class DocumentedCommandsTests
{
    public static TheoryData<string, string> CommandLines()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<string>();
        var root = TestDatabases.RepoRoot;
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"));
        foreach (var file in files)
            foreach (var raw in File.ReadLines(file))
            {
                foreach (var start in new[] { "./naskit ", "naskit " })
                {
                    int i = raw.IndexOf("`" + start, StringComparison.Ordinal) is var q && q >= 0 ? q + 1 : raw.TrimStart().StartsWith(start, StringComparison.Ordinal) ? raw.IndexOf(start, StringComparison.Ordinal) : -1;
                    if (i < 0) continue;
                    var line = raw[i..];
                    int end = line.IndexOf('`');
                    if (end > 0) line = line[..end];
                    int comment = line.IndexOf(" #", StringComparison.Ordinal);
                    if (comment > 0) line = line[..comment];
                    int gap = line.IndexOf("   ", StringComparison.Ordinal); // a table's description column
                    if (gap > 0) line = line[..gap];
                    line = line.Trim().TrimEnd('\\').Trim();
                    if (line.Contains("...") || line.Contains('…') || line.Contains('[') || line.EndsWith("--help")
                        || System.Text.RegularExpressions.Regex.IsMatch(line, @"--[\w-]+ [A-Z](\s|$)")) continue; // templates (--queries Q), not command lines
                    var args = line[(line.IndexOf("naskit ", StringComparison.Ordinal) + 7)..];
                    if (!args.Contains("--")) continue; // prose naming a command ("naskit worker"), not a command line
                    if (seen.Add(args)) data.Add(Path.GetFileName(file), args);
                    break;
                }
            }
        return data;
    }

    [Theory, MemberData(nameof(CommandLines))]
    public void A_documented_command_line_parses(string file, string commandLine)
    {
        var result = NasKitCommand.Create().Parse(Tokens(commandLine));
        Assert.True(result.Errors.Count == 0, $"{file}: naskit {commandLine}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
    }

    /// <summary>Splits like a shell: spaces separate, quotes group, $VARS stay as text.</summary>
    private static string[] Tokens(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        bool any = false;
        foreach (var c in line)
        {
            if (quote != '\0') { if (c == quote) quote = '\0'; else current.Append(c); continue; }
            if (c is '"' or '\'') { quote = c; any = true; continue; }
            if (char.IsWhiteSpace(c)) { if (current.Length > 0 || any) tokens.Add(current.ToString()); current.Clear(); any = false; continue; }
            current.Append(c);
        }
        if (current.Length > 0 || any) tokens.Add(current.ToString());
        return tokens.ToArray();
    }
}
