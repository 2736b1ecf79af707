using System.CommandLine;
using Tune.Pipeline.Cli.AskTell;
using Tune.Pipeline.Cli.Experiments;
using Tune.Pipeline.Cli.Sweeps;
using Tune.Pipeline.Hosting;

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
            ListCommand.Create(),
            ShowCommand.Create(),
            BestCommand.Create(),
            ExportCommand.Create(),
            ReportCommand.Create(),
            Dashboard.DashboardCommand.Create(),
            Tracking.MLflowCommand.Create(),
            Gate.GateCommand.Create(),
            Publishing.PublishCommand.Create(),
            ReplayCommand.Create(),
            NewCommand.Create(),
            Kubernetes.KubernetesCommand.Create(),
            new Option<string?>(ExperimentHost.VerbosityOption) { Recursive = true, Description = "diagnostic: print the stack trace of an unexpected error." },
        };
        foreach (var verb in ExperimentCommand.CreateAll())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code: 0 success, 1 sweep failed, 2 usage error, 3 environment.</returns>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error);

    /// <summary>Parses and runs a command line over the given streams (for tests and embedding).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        var parsed = Create(input).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // A usage error is exit code 2 everywhere (System.CommandLine's default is 1, which means "sweep failed" here).
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run `{CommandPath(parsed)} --help` for usage.").ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parsed.CommandResult.Command is ExperimentCommand)
        {
            // The experiment's own process handles Ctrl+C; tune must outlive it, so System.CommandLine must not end
            // the invocation two seconds after the signal (its default).
            configuration.ProcessTerminationTimeout = null;
        }

        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // One line and the documented exit code for whatever a verb did not handle itself; never a stack trace unless asked.
            var diagnostic = string.Equals(parsed.GetValue<string?>(ExperimentHost.VerbosityOption), "diagnostic", StringComparison.OrdinalIgnoreCase);
            return await ExperimentHost.ReportAsync(exception, error, diagnostic).ConfigureAwait(false);
        }
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var result = parsed.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        names.Push("tune");
        return string.Join(' ', names);
    }
}
