using Spectre.Console;
using Spectre.Console.Rendering;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Shows a running sweep: trials done, running, pruned and failed, the best so far with its parameters, the elapsed
/// and estimated time. Live on an interactive terminal; one plain line per trial event when output is redirected or
/// <c>CI</c> is set.
/// </summary>
/// <remarks>
/// <para>
/// Feed it trial events by wrapping the sweep's store with <see cref="Observe"/> (every state change and step goes
/// through the store), or call <see cref="OnTrialSaved"/> and <see cref="OnTrialStep"/> directly. Run the sweep
/// inside <see cref="RunAsync{T}"/> so that the live view is drawn while it runs.
/// </para>
/// <para>Thread-safe: events may arrive from several trials at once. Elapsed time counts from construction.</para>
/// </remarks>
public sealed class SweepProgress
{
    private readonly IAnsiConsole _console;
    private readonly SweepProgressOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;
    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly SortedDictionary<int, RunningTrial> _running = [];
    private int _completed;
    private int _pruned;
    private int _failed;
    private Trial? _best;
    private string? _lastFailure;
    private string? _agents;

    /// <summary>Initializes a new instance of the <see cref="SweepProgress"/> class.</summary>
    /// <param name="console">Where to draw; a program passes <c>AnsiConsole.Console</c>.</param>
    /// <param name="options">What to show; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for elapsed and estimated time; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="environment">Reads an environment variable (<c>CI</c>); defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public SweepProgress(IAnsiConsole console, SweepProgressOptions options, TimeProvider? timeProvider = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RefreshInterval, TimeSpan.Zero);
        _console = console;
        _options = new SweepProgressOptions
        {
            Experiment = options.Experiment,
            ObjectiveMetric = options.ObjectiveMetric,
            Goal = options.Goal,
            MaxTrials = options.MaxTrials,
            Mode = options.Mode,
            RefreshInterval = options.RefreshInterval,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _startTimestamp = _timeProvider.GetTimestamp();
        IsLive = options.Mode switch
        {
            SweepProgressMode.Live => true,
            SweepProgressMode.Plain => false,
            _ => CanRenderLive(console, environment ?? Environment.GetEnvironmentVariable),
        };
    }

    /// <summary>Gets a value indicating whether the progress is drawn live (otherwise as plain lines).</summary>
    public bool IsLive { get; }

    /// <summary>Decides whether a console can show a live view: an interactive ANSI terminal, and <c>CI</c> not set.</summary>
    /// <param name="console">The console.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns><see langword="true"/> for a live view.</returns>
    public static bool CanRenderLive(IAnsiConsole console, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(environment);

        // CI services set CI (true, 1, or a name); only an explicit false or 0 means "not CI".
        var ci = environment("CI");
        if (!string.IsNullOrEmpty(ci) && ci is not ("0" or "false" or "False" or "FALSE"))
        {
            return false;
        }

        var profile = console.Profile;
        return profile.Out.IsTerminal && profile.Capabilities.Ansi && profile.Capabilities.Interactive;
    }

    /// <summary>Wraps a store so that every trial it records is shown here too.</summary>
    /// <param name="store">The sweep's store.</param>
    /// <returns>A store that forwards to <paramref name="store"/>, then reports what was recorded.</returns>
    public ISweepStore Observe(ISweepStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ProgressSweepStore(store, this);
    }

    /// <summary>Runs a sweep, drawing the live view while it runs (plain mode just awaits it).</summary>
    /// <typeparam name="T">The sweep's result type.</typeparam>
    /// <param name="sweep">Starts the sweep.</param>
    /// <param name="cancellationToken">Passed to <paramref name="sweep"/>.</param>
    /// <returns>The sweep's result.</returns>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (!IsLive)
        {
            return await sweep(cancellationToken).ConfigureAwait(false);
        }

        return await _console.Live(BuildView())
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                var running = sweep(cancellationToken);
                while (!running.IsCompleted)
                {
                    context.UpdateTarget(BuildView());

                    // Not the caller's token: after a Ctrl+C the view keeps refreshing while the sweep marks its trials.
                    await Task.WhenAny(running, Task.Delay(_options.RefreshInterval, _timeProvider, CancellationToken.None)).ConfigureAwait(false);
                }

                context.UpdateTarget(BuildView());
                return await running.ConfigureAwait(false);
            })
            .ConfigureAwait(false);
    }

    /// <summary>Reports that a resumed sweep already holds these trials: they count, and the best of them stands, without a line each.</summary>
    /// <param name="trials">The trials recorded before this run.</param>
    public void OnResumed(IEnumerable<Trial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        int finished;
        lock (_lock)
        {
            foreach (var trial in trials.Where(t => t.IsFinished))
            {
                Count(trial);
            }

            finished = _completed + _pruned + _failed;
        }

        if (!IsLive && finished > 0)
        {
            WriteLine($"resumed with {finished} finished trial{(finished == 1 ? string.Empty : "s")}{BestSuffix()}");
        }
    }

    /// <summary>Reports a trial's new state: running (started or retried), completed, pruned, failed, or interrupted (Ctrl+C). A new pending trial is ignored.</summary>
    /// <param name="trial">The trial as saved.</param>
    public void OnTrialSaved(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State == TrialState.Running)
        {
            OnTrialStarted(trial);
        }
        else if (trial.IsFinished)
        {
            OnTrialFinished(trial);
        }
        else if (trial.IsInterrupted)
        {
            lock (_lock)
            {
                _running.Remove(trial.Number);
            }

            if (!IsLive)
            {
                WriteLine($"trial {trial.Number} interrupted; it runs again when the sweep is resumed");
            }
        }
    }

    /// <summary>Reports an intermediate value of a running trial.</summary>
    /// <param name="trialNumber">The trial's number.</param>
    /// <param name="step">The step and its value.</param>
    public void OnTrialStep(int trialNumber, StepValue step)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(trialNumber, out var running))
            {
                _running[trialNumber] = running with { LastStep = step };
            }
        }
    }

    /// <summary>Reports the agents' states as their launcher sees them: shown in the live view, and as a line when it changes.</summary>
    /// <param name="agents">One line, such as <c>agents (slurm job 12): 3 running (n1, n2), 1 pending (Resources)</c>.</param>
    public void OnAgents(string agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        lock (_lock)
        {
            if (string.Equals(_agents, agents, StringComparison.Ordinal))
            {
                return;
            }

            _agents = agents;
        }

        if (!IsLive)
        {
            WriteLine(agents);
        }
    }

    private void OnTrialStarted(Trial trial)
    {
        lock (_lock)
        {
            _running[trial.Number] = new RunningTrial(trial.Configuration, _timeProvider.GetTimestamp(), null);
        }

        if (!IsLive)
        {
            var retry = trial.Attempts > 1 ? $" (attempt {trial.Attempts})" : string.Empty;
            WriteLine($"trial {trial.Number} started{retry}: {TrialFormat.Configuration(trial.Configuration)}");
        }
    }

    private void OnTrialFinished(Trial trial)
    {
        bool isBest;
        lock (_lock)
        {
            _running.Remove(trial.Number);
            Count(trial);
            isBest = ReferenceEquals(_best, trial);
        }

        if (IsLive)
        {
            return;
        }

        var metric = _options.ObjectiveMetric;
        var what = trial.State switch
        {
            TrialState.Completed => $"completed: {metric}={TrialFormat.Value(trial.Value!.Value)}{(isBest ? " (new best)" : string.Empty)}",
            TrialState.Pruned when trial.LastStep is { } last => $"pruned at step {last.Step}: {metric}={TrialFormat.Value(last.Value)}",
            TrialState.Pruned => "pruned",
            _ => $"failed: {OneLine(trial.Error)}",
        };
        WriteLine($"trial {trial.Number} {what} | {Counts()}");
    }

    private void Count(Trial trial)
    {
        switch (trial.State)
        {
            case TrialState.Completed:
                _completed++;
                // The order every view ranks by, so the live best is the summary's best even when equal values finish out of order.
                if (_best is null || TrialOrder.Compare(trial.Standing, _best.Standing, _options.Goal) < 0)
                {
                    _best = trial;
                }

                break;
            case TrialState.Pruned:
                _pruned++;
                break;
            default:
                _failed++;
                _lastFailure = $"trial {trial.Number}: {OneLine(trial.Error)}";
                break;
        }
    }

    private string Counts()
    {
        lock (_lock)
        {
            var finished = _completed + _pruned + _failed;
            var done = _options.MaxTrials is { } max ? $"{finished}/{max}" : finished.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var elapsed = _timeProvider.GetElapsedTime(_startTimestamp);
            var eta = Estimate(finished, elapsed) is { } left ? $", eta {TrialFormat.Clock(left)}" : string.Empty;
            return $"done {done}, running {_running.Count}, pruned {_pruned}, failed {_failed}, elapsed {TrialFormat.Clock(elapsed)}{eta}";
        }
    }

    // Time per finished trial so far, times the trials left: concurrency is already in the measured rate.
    private TimeSpan? Estimate(int finished, TimeSpan elapsed) =>
        _options.MaxTrials is { } max && finished > 0 && finished < max ? elapsed / finished * (max - finished) : null;

    private string BestSuffix()
    {
        lock (_lock)
        {
            return _best is { } best ? $"; best trial {best.Number}: {_options.ObjectiveMetric}={TrialFormat.Value(best.Value!.Value)}" : string.Empty;
        }
    }

    private void WriteLine(string text)
    {
        var elapsed = _timeProvider.GetElapsedTime(_startTimestamp);

        // Straight to the output's writer: a plain line is for logs and must not be wrapped at the console's width,
        // nor read as markup (parameter values and error messages may contain '[' and ']').
        lock (_writeLock)
        {
            var writer = _console.Profile.Out.Writer;
            writer.Write($"[{TrialFormat.Clock(elapsed)}] {text}");
            writer.Write('\n');
            writer.Flush();
        }
    }

    internal IRenderable BuildView()
    {
        lock (_lock)
        {
            var heading = new Markup($"[bold]{Markup.Escape(_options.Experiment)}[/] {Markup.Escape(_options.ObjectiveMetric)} ({(_options.Goal == Goal.Maximize ? "maximize" : "minimize")})");
            var rows = new List<IRenderable> { heading, new Text(Counts()) };
            rows.Add(_best is { } best
                ? new Markup($"best: trial {best.Number} [green]{Markup.Escape(_options.ObjectiveMetric)}={TrialFormat.Value(best.Value!.Value)}[/] {Markup.Escape(TrialFormat.Configuration(best.Configuration))}")
                : new Text("best: none yet"));
            if (_agents is not null)
            {
                rows.Add(new Text(_agents));
            }

            if (_running.Count > 0)
            {
                var table = new Table().AddColumns("trial", "step", _options.ObjectiveMetric, "running for", "parameters");
                foreach (var (number, running) in _running)
                {
                    table.AddRow(
                        new Text(number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new Text(running.LastStep?.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                        new Text(running.LastStep is { } step ? TrialFormat.Value(step.Value) : "-"),
                        new Text(TrialFormat.Duration(_timeProvider.GetElapsedTime(running.StartTimestamp))),
                        new Text(TrialFormat.Configuration(running.Configuration)));
                }

                rows.Add(table);
            }

            if (_lastFailure is not null)
            {
                rows.Add(new Markup($"[red]last failure:[/] {Markup.Escape(_lastFailure)}"));
            }

            return new Rows(rows);
        }
    }

    private static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(no message)";
        }

        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..197] + "...";
    }

    private readonly record struct RunningTrial(Configuration Configuration, long StartTimestamp, StepValue? LastStep);
}
