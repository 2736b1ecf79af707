using System.CommandLine;

namespace Tune.Pipeline.Cli;

/// <summary>
/// The root of `dotnet tune`: builds the command tree and runs it.
/// </summary>
internal static class TuneCommand
{
    /// <summary>Builds the root command with every verb.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand Create()
    {
        var root = new RootCommand("Tune.Pipeline: experiment-as-code hyperparameter tuning for .NET.");
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code: 0 success, 1 sweep failed, 2 usage error, 3 environment.</returns>
    public static Task<int> RunAsync(string[] args) => Create().Parse(args).InvokeAsync();
}
