using Microsoft.CodeAnalysis.Text;

namespace Tune.Pipeline.Generators.Tests.TestHelpers;

/// <summary>
/// Parses <c>{|TUNE0201:text|}</c> markup: the text stays in the source, and a diagnostic with that ID is expected on
/// exactly its span.
/// </summary>
internal static class DiagnosticMarkup
{
    public static (string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new System.Text.StringBuilder(markup.Length);
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        var i = 0;
        while (i < markup.Length)
        {
            if (string.CompareOrdinal(markup, i, "{|", 0, 2) == 0)
            {
                var colon = markup.IndexOf(':', i);
                open.Push((markup[(i + 2)..colon], source.Length));
                i = colon + 1;
            }
            else if (string.CompareOrdinal(markup, i, "|}", 0, 2) == 0 && open.Count > 0)
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
                i += 2;
            }
            else
            {
                source.Append(markup[i]);
                i++;
            }
        }

        Assert.Empty(open);
        return (source.ToString(), expected.OrderBy(e => e.Item2.Start).ThenBy(e => e.Item1, StringComparer.Ordinal).ToList());
    }
}
