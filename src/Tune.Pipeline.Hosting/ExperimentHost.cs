using System.CommandLine;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Runs an experiment's executable: the <c>sweep</c>, <c>agent</c>, <c>retrain</c>, <c>status</c>, <c>evaluate</c>, <c>replay</c> and <c>where</c> verbs. An experiment project's
/// <c>Program.cs</c> is one line that hands its arguments here.
/// </summary>
/// <example>
/// <code>
/// return await ExperimentHost.RunAsync&lt;MyExperiment, MyExperiment.Parameters&gt;(args, MyExperimentSearchSpace.Instance);
/// </code>
/// <c>sweep --agents 4 --max-trials 200</c> runs the controller and four local agent processes against
/// <c>.tune/tune.db</c>; <c>agent --store postgresql://host/db --sweep NAME</c> joins a sweep from another machine.
/// </example>
/// <remarks>Exit codes: 0 success, 1 sweep failed, 2 usage error, 3 environment (store unreachable, upload refused), 130 interrupted (Ctrl+C; resumable).</remarks>
public static class ExperimentHost
{
    /// <summary>Gets the exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Gets the exit code of a sweep whose every trial failed, or whose agents could not run.</summary>
    public const int SweepFailed = 1;

    /// <summary>Gets the exit code of a sweep stopped by Ctrl+C (or SIGTERM): its interrupted trials run again on <c>--resume</c>.</summary>
    public const int Interrupted = 130;

    /// <summary>Gets the exit code of a command line that cannot be run as given.</summary>
    public const int UsageError = 2;

    /// <summary>Gets the exit code of an environment problem, such as a store that cannot be reached.</summary>
    public const int EnvironmentError = 3;

    /// <summary>The option that asks for a stack trace with an unexpected error.</summary>
    internal const string VerbosityOption = "--verbosity";

    /// <summary>Parses the command line and runs the verb it names.</summary>
    /// <typeparam name="TExperiment">The experiment; one instance is created per process.</typeparam>
    /// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
    /// <param name="args">The command line's arguments.</param>
    /// <param name="space">The experiment's typed search space; a generated one carries the experiment's name, objective and goal.</param>
    /// <param name="options">Overrides of the space's identity, samplers, data files and output; defaults apply when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the verb (Ctrl+C does too).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="InvalidOperationException">The space carries no identity and <paramref name="options"/> gives none: a mistake in the experiment's code, not its command line.</exception>
    public static async Task<int> RunAsync<TExperiment, TParameters>(string[] args, SearchSpace<TParameters> space, ExperimentHostOptions? options = null, CancellationToken cancellationToken = default)
        where TExperiment : IExperiment<TParameters>, new()
        where TParameters : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(space);
        options ??= new ExperimentHostOptions();
#pragma warning disable RS0030 // The host owns the experiment executable's console; tests pass writers instead.
        var output = options.Output ?? Console.Out;
        var error = options.Error ?? Console.Error;
#pragma warning restore RS0030
        var home = SweepHome.ForExperiment(typeof(TExperiment).Assembly, Environment.CurrentDirectory, Environment.GetEnvironmentVariable);
        var host = new HostedExperiment<TExperiment, TParameters>(space, options, home, output, error);
        var verbosity = new Option<string?>(VerbosityOption) { Recursive = true, Description = "diagnostic: print the stack trace of an unexpected error." };
        var root = new RootCommand($"The {host.Identity.Name} experiment: sweep its hyperparameters, join a sweep as an agent, retrain a sweep's best configuration, show a sweep's status, evaluate a published model's configuration with given seeds, replay a lock file, or say where its store and published model are.")
        {
            new Verbs.SweepVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.AgentVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.RetrainVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.StatusVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.EvaluateVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.ReplayVerb<TExperiment, TParameters>(host).Create(),
            new Verbs.WhereVerb<TExperiment, TParameters>(host).Create(),
            verbosity,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,

                // Ctrl+C cancels the verb's token; a sweep then records its interrupted trials and stops its agents, which
                // takes longer than System.CommandLine's default of 2 s before it exits the process regardless.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var diagnostic = string.Equals(parsed.GetValue(verbosity), "diagnostic", StringComparison.OrdinalIgnoreCase);
            return await ReportAsync(exception, error, diagnostic).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a failure as one line and maps it to its exit code: the one place where the host's failures meet the user,
    /// so that no mistake or fault reaches the runtime's unhandled-exception handler and its stack trace.
    /// </summary>
    internal static async Task<int> ReportAsync(Exception exception, TextWriter error, bool diagnostic)
    {
        var (code, message) = Classify(exception);
        await error.WriteLineAsync(message).ConfigureAwait(false);
        if (diagnostic)
        {
            await error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
        }
        else if (code == SweepFailed && exception is not SweepFailedException)
        {
            await error.WriteLineAsync($"Run the same command with {VerbosityOption} diagnostic for the stack trace.").ConfigureAwait(false);
        }

        return code;
    }

    private static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        UsageException or SweepFileException or SweepConflictException or InvalidSweepException => (UsageError, exception.Message),
        SweepFailedException => (SweepFailed, exception.Message),

        // The folder is published locally; only the upload failed, and the message names no secret.
        StoreUnavailableException or ArtifactUploadException or Launchers.LauncherException => (EnvironmentError, exception.Message),

        // Ctrl+C outside a sweep (an agent, a retrain): what the store holds is kept; an agent's trial goes back to its sweep.
        OperationCanceledException => (Interrupted, "Stopped."),
        IOException or UnauthorizedAccessException or System.Data.Common.DbException =>
            (EnvironmentError, $"{exception.Message} (a file or database could not be used; check the path, its permissions and free space)."),
        _ => (SweepFailed, $"Unexpected error: {exception.GetType().Name}: {exception.Message}"),
    };
}

/// <summary>A command line that cannot be run as given: exit code 2, message only.</summary>
internal sealed class UsageException(string message) : Exception(message);
