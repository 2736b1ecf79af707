using System.Text;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Tune.Pipeline.Reporting.Tests;

internal static class TestConsoles
{
    /// <summary>A console that says it is an interactive ANSI terminal, as a developer's shell is.</summary>
    public static TestConsole Terminal()
    {
        var console = new TestConsole().Interactive().EmitAnsiSequences().Width(120);
        console.Profile.Out = new TerminalOutput(console.Profile.Out);
        return console;
    }

    /// <summary>Output as redirected to a file or a pipe: not a terminal, no ANSI, not interactive.</summary>
    public static TestConsole Redirected() => new TestConsole().Width(120);

    private sealed class TerminalOutput(IAnsiConsoleOutput inner) : IAnsiConsoleOutput
    {
        public TextWriter Writer => inner.Writer;

        public bool IsTerminal => true;

        public int Width => inner.Width;

        public int Height => inner.Height;

        public void SetEncoding(Encoding encoding) => inner.SetEncoding(encoding);
    }
}
