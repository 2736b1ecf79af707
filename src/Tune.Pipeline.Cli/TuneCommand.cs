using System.CommandLine;
using Tune.Pipeline.Cli.AskTell;

namespace Tune.Pipeline.Cli;

/// <summary>
/// The root of `dotnet tune`: builds the command tree and runs it.
/// </summary>
internal static class TuneCommand
{
    /// <summary>Builds the root command with every verb.</summary>
    /// <param name="input">The request stream for verbs that read one; standard input when <see langword="null"/>.</param>
    /// <returns>The root command.</returns>
    public static RootCommand Create(TextReader? input = null)
    {
        var root = new RootCommand("Tune.Pipeline: experiment-as-code hyperparameter tuning for .NET.")
        {
            AskTellCommand.Create(() => input ?? Console.In),
            Tracking.MLflowCommand.Create(),
        };
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code: 0 success, 1 sweep failed, 2 usage error, 3 environment.</returns>
    public static Task<int> RunAsync(string[] args) => Create().Parse(args).InvokeAsync();

    /// <summary>Parses and runs a command line over the given streams (for tests and embedding).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) =>
        Create(input).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
}
