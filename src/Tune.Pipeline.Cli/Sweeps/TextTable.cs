using System.Text;
using Spectre.Console;
using Tune.Pipeline.Reporting;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary>
/// A table the read-only verbs print: a Spectre.Console table on an interactive terminal, plain aligned columns when
/// output is redirected or <c>CI</c> is set (the rule <see cref="SweepProgress.CanRenderLive"/> applies to progress).
/// </summary>
/// <param name="columns">The headings, and whether each column is right-aligned (numbers).</param>
internal sealed class TextTable(params (string Heading, bool Right)[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row, one cell per column.</summary>
    /// <param name="cells">The cells.</param>
    public void AddRow(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"A row of this table has {columns.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Decides whether <paramref name="output"/> gets the rich form.</summary>
    /// <param name="output">Standard output.</param>
    /// <returns><see langword="true"/> on an interactive ANSI terminal without <c>CI</c>.</returns>
    public static bool IsRich(TextWriter output) =>
        SweepProgress.CanRenderLive(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }), Environment.GetEnvironmentVariable);

    /// <summary>Writes the table.</summary>
    /// <param name="output">Standard output.</param>
    /// <returns>A task that completes when the table is written.</returns>
    public async Task WriteAsync(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });

        // A table narrower than its content wraps every cell, numbers included; aligned columns read better then.
        if (IsRich(output) && Widths().Sum() + (3 * columns.Length) + 1 <= console.Profile.Width)
        {
            var table = new Table();
            foreach (var (heading, right) in columns)
            {
                var column = new TableColumn(Markup.Escape(heading));
                table.AddColumn(right ? column.RightAligned() : column);
            }

            foreach (var row in _rows)
            {
                table.AddRow(row.Select(c => new Text(c)).ToArray());
            }

            console.Write(table);
            return;
        }

        await output.WriteAsync(ToPlainText()).ConfigureAwait(false);
    }

    /// <summary>Formats the table as plain aligned columns, two spaces apart, no trailing spaces.</summary>
    /// <returns>The text, one line per row after the headings.</returns>
    public string ToPlainText()
    {
        var widths = Widths();
        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(columns.Select(c => c.Heading).ToArray()))
        {
            var cells = row.Select((cell, i) => columns[i].Right ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    private int[] Widths() => [.. columns.Select((c, i) => _rows.Select(r => r[i].Length).Append(c.Heading.Length).Max())];
}
