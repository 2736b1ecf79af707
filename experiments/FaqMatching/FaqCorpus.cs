namespace FaqMatching;

/// <summary>Represents one entry of the Python FAQ: its question (a section title) and its answer (the section's text).</summary>
/// <param name="Question">The section title, ending in a question mark.</param>
/// <param name="Answer">The reStructuredText below the title, up to the next section title.</param>
public sealed record FaqEntry(string Question, string Answer);

/// <summary>Reads the FAQ entries from the reStructuredText sources.</summary>
internal static class FaqCorpus
{
    /// <summary>Gets the folder of the FAQ sources, copied beside the executable by the project.</summary>
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Reads every entry whose title is a question, file by file in name order.</summary>
    public static IReadOnlyList<FaqEntry> Load(string directory) =>
        [.. Directory.GetFiles(directory, "*.rst.txt").Order(StringComparer.Ordinal).SelectMany(file => Parse(File.ReadAllLines(file)))];

    /// <summary>Reads the entries of one file: a section title is a line underlined by a line of one repeated punctuation character at least as long.</summary>
    public static IEnumerable<FaqEntry> Parse(IReadOnlyList<string> lines)
    {
        var titles = Enumerable.Range(0, lines.Count - 1).Where(i => IsUnderline(lines[i + 1], lines[i])).ToList();
        for (var t = 0; t < titles.Count; t++)
        {
            var title = lines[titles[t]].Trim();
            if (!title.EndsWith('?'))
            {
                continue;
            }

            var end = t + 1 < titles.Count ? titles[t + 1] : lines.Count;
            var answer = string.Join('\n', lines.Skip(titles[t] + 2).Take(end - titles[t] - 2)).Trim();
            if (answer.Length > 0)
            {
                yield return new FaqEntry(title, answer);
            }
        }
    }

    private static bool IsUnderline(string underline, string title)
    {
        var text = title.Trim();
        return text.Length > 0
            && underline.Length >= 3
            && underline.Length >= text.Length
            && "=-~^*#+".Contains(underline[0], StringComparison.Ordinal)
            && underline.All(c => c == underline[0])
            && !text.All(c => c == text[0]);
    }
}
