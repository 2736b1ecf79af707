using System.CommandLine;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Publishing.Azure;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Runs an experiment's executable: the <c>sweep</c>, <c>agent</c> and <c>status</c> verbs. An experiment project's
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

    /// <summary>Parses the command line and runs the verb it names.</summary>
    /// <typeparam name="TExperiment">The experiment; one instance is created per process.</typeparam>
    /// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
    /// <param name="args">The command line's arguments.</param>
    /// <param name="space">The experiment's typed search space.</param>
    /// <param name="options">The experiment's name and goal, samplers and output; defaults apply when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the verb (Ctrl+C does too).</param>
    /// <returns>The exit code.</returns>
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
        var name = options.ExperimentName ?? typeof(TExperiment).Name;
        var commands = new HostCommands<TExperiment, TParameters>(space, options, name, output, error);
        var parsed = commands.Create().Parse(args);
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
        catch (StoreUnavailableException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return EnvironmentError;
        }
        catch (SweepFileException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return UsageError;
        }
        catch (UsageException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return UsageError;
        }
        catch (SweepFailedException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return SweepFailed;
        }
        catch (AzureBlobPublishException exception)
        {
            // The folder is published locally; only the upload failed, and the message names no secret.
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return EnvironmentError;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C outside a sweep (an agent, a retrain): what the store holds is kept; an agent's trial goes back to its sweep.
            await error.WriteLineAsync("Stopped.").ConfigureAwait(false);
            return Interrupted;
        }
    }

    internal static SqlSweepStore OpenStore(string store, TimeProvider time)
    {
        try
        {
            return SweepStores.Open(store, time);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    // Kept for the verbs' files, which parse --lease-timeout and --wait here; the rules live in Durations.
    internal static TimeSpan ParseDuration(string text) => Durations.Parse(text);
}

/// <summary>A command line that cannot be run as given: exit code 2, message only.</summary>
internal sealed class UsageException(string message) : Exception(message);
