namespace Tune.Pipeline.Hosting.Launchers;

/// <summary>
/// Represents an engine that places a sweep's agents: this machine's child processes, a Slurm job array, a Kubernetes
/// Indexed Job. The controller starts N agents through it once the sweep is in the store, watches them through it, and
/// stops them through it when the sweep ends (budget spent, Ctrl+C, no agent can run).
/// </summary>
/// <remarks>
/// A launcher only starts and stops processes: the agents lease their trials from the store and report there themselves,
/// so a launcher never carries results, and an agent that dies anywhere is repaired by the store's lease, not by it.
/// </remarks>
internal interface IAgentLauncher : IAsyncDisposable
{
    /// <summary>Gets the launcher's name as <c>--launcher</c> spells it.</summary>
    string Name { get; }

    /// <summary>Gets a task that completes, with one sentence saying why, when none of the agents can run any more while the sweep still needs them.</summary>
    Task<string> NoAgentCanRun { get; }

    /// <summary>Starts the agents; returns once the engine has accepted them (submitted, created), not once they run.</summary>
    /// <param name="launch">The sweep, the agents' arguments and where to report their states.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the agents are submitted.</returns>
    /// <exception cref="LauncherException">The engine refused or could not be reached; the message names it and the fix.</exception>
    Task StartAsync(AgentLaunch launch, CancellationToken cancellationToken);

    /// <summary>Lets the agents leave on their own (they exit when the sweep closes) for up to <paramref name="grace"/>, then cancels what is left.</summary>
    /// <param name="grace">How long the agents get to leave.</param>
    /// <returns>A task that completes when nothing of the agents is left running on the engine.</returns>
    Task StopAsync(TimeSpan grace);
}

/// <summary>What a launcher starts: <see cref="Count"/> agents of one sweep, each running the experiment's <c>agent</c> verb.</summary>
internal sealed record AgentLaunch
{
    /// <summary>The environment variable that gives an agent its store when <c>--store</c> is not on its command line: remote launchers pass the store's connection string this way, never in a script, a Job's spec or a process listing.</summary>
    public const string StoreVariable = "TUNE_STORE";

    public required string SweepName { get; init; }

    /// <summary>Gets the <c>--store</c> text: a path or a connection string that may hold a password.</summary>
    public required string Store { get; init; }

    public required int Count { get; init; }

    /// <summary>Gets the <c>agent</c> verb's arguments every agent runs with, without <c>--store</c>.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>
    /// Gets what agent <c>index</c> (0 to <see cref="Count"/> - 1) gets beyond <see cref="Arguments"/>: its own extra
    /// arguments (a GPU agent's device) and the GPUs the engine must give it. The default gives none.
    /// </summary>
    public Func<int, AgentPlacement> Placement { get; init; } = _ => AgentPlacement.None;

    /// <summary>Gets the sweep home: where a launcher keeps its scripts and the agents' output.</summary>
    public required SweepHome Home { get; init; }

    /// <summary>Gets the sweep file's <c>agents.slurm</c> and <c>agents.kubernetes</c> settings.</summary>
    public LauncherSettings Settings { get; init; } = new();

    /// <summary>Gets where the agents' states go as they change: one line, for the live progress.</summary>
    public Action<string> OnAgentsChanged { get; init; } = _ => { };

    /// <summary>Gets where a launcher writes what the user must know (an agent's output, a task that died).</summary>
    public required TextWriter Error { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Gets the <c>agent</c> verb's arguments every agent of a sweep runs with (without <c>--store</c>): the sweep, its threads per trial and lease timeout.</summary>
    /// <param name="sweepName">The sweep.</param>
    /// <param name="threadsPerTrial">Threads each trial may use.</param>
    /// <param name="leaseTimeout">The lease timeout the controller reclaims trials with.</param>
    /// <returns>The arguments.</returns>
    public static IReadOnlyList<string> CommonArguments(string sweepName, int threadsPerTrial, TimeSpan leaseTimeout) =>
    [
        "--sweep", sweepName, "--threads-per-trial", threadsPerTrial.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // In milliseconds ("30000ms"): "00:00:30" would be a base-60 number to a YAML 1.1 reader of a Job's manifest.
        "--lease-timeout", ((long)leaseTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms",
    ];

    /// <summary>Gets the arguments of agent <paramref name="index"/>: the common ones, then its placement's.</summary>
    /// <param name="index">The agent's index, from 0.</param>
    /// <returns>The <c>agent</c> verb's arguments without <c>--store</c>.</returns>
    public IReadOnlyList<string> ArgumentsOf(int index) => [.. Arguments, .. Placement(index).Arguments];

    /// <summary>Gets the most GPUs any one agent asks for: a Slurm array and an Indexed Job give every agent the same resources.</summary>
    public int GpusPerAgent => Enumerable.Range(0, Count).Select(i => Placement(i).Gpus).DefaultIfEmpty(0).Max();
}

/// <summary>What one agent gets beyond the common arguments.</summary>
/// <param name="Arguments">Extra arguments of its <c>agent</c> verb, such as its GPU device.</param>
/// <param name="Gpus">The GPUs the engine must give it (Slurm <c>--gres=gpu:k</c>, Kubernetes <c>nvidia.com/gpu</c>).</param>
internal sealed record AgentPlacement(IReadOnlyList<string> Arguments, int Gpus)
{
    public static AgentPlacement None { get; } = new([], 0);
}

/// <summary>A launcher's engine refused the agents or could not be reached; the message is one sentence naming the engine and the fix.</summary>
internal sealed class LauncherException : Exception
{
    public LauncherException(string message)
        : base(message)
    {
    }

    public LauncherException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LauncherException()
    {
    }
}
