using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary>
/// <c>tune report &lt;sweep&gt; [--store] [--output FILE]</c>: writes the sweep's <c>report.html</c> (<see cref="HtmlReport"/>)
/// from what any store holds, without the experiment's code, at any time: a running sweep's report shows the trials so far.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var sweep = StoreAccess.CreateSweepArgument();
        var store = StoreAccess.CreateOption();
        var file = new Option<string>("--output", "-o") { Description = "The file to write.", DefaultValueFactory = _ => HtmlReport.FileName };
        var command = new Command("report", "Write a sweep's report.html: history, parallel coordinates, slices, two-parameter scatter, steps, parameter importance, the trials, settings and environment; one self-contained file.")
        {
            sweep, store, file,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, () => StoreAccess.ReadSweepAsync(
                parseResult.GetValue(store)!, parseResult.GetValue(sweep)!, (opened, read, trials) => ReportAsync(opened, read, trials, parseResult.GetValue(file)!, output, cancellationToken), cancellationToken));
        });
        return command;
    }

    private static async Task<int> ReportAsync(SqlSweepStore store, SweepStatus sweep, IReadOnlyList<StoredTrial> trials, string file, TextWriter output, CancellationToken cancellationToken)
    {
        var steps = await store.GetStoredStepsAsync(sweep.Name, cancellationToken).ConfigureAwait(false);
        var path = Path.GetFullPath(file);
        await StoreAccess.WriteOutputAsync(path, "report", () => HtmlReport.WriteAsync(path, Describe(store, sweep, trials, steps), cancellationToken: cancellationToken)).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote the report of sweep '{sweep.Name}' ({trials.Count} trials) to {path}.")).ConfigureAwait(false);
        return ExperimentHost.Success;
    }

    /// <summary>Describes a stored sweep for <see cref="HtmlReport"/>: its recorded parameters and settings, its trials with their steps, and this machine.</summary>
    /// <param name="store">The store it was read from.</param>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <param name="steps">Their steps (<see cref="SqlSweepStore.GetStoredStepsAsync"/>).</param>
    /// <returns>The report's content.</returns>
    public static SweepReport Describe(SqlSweepStore store, SweepStatus sweep, IReadOnlyList<StoredTrial> trials, IReadOnlyDictionary<int, ImmutableArray<Tune.Pipeline.Sweeps.StepValue>> steps) => new()
    {
        Name = sweep.Name,

        // The store records neither the experiment's name nor its metric's: the sweep names the page.
        Experiment = sweep.Name,
        Goal = sweep.Goal,
        Outcome = sweep.IsClosed ? SweepSummary.StopReason(sweep.StopReason!.Value) : "not yet (the sweep is open)",
        Parameters = [.. StoredTrials.Definitions(sweep).Select(d => ReportParameter.FromRecorded(d.Name, d.Distribution))],
        Trials =
        [
            .. trials.Select(t => new ReportTrial(t.Number, t.State, t.Value, t.Parameters.Length == 0 ? [] : StoredTrials.Scalars(t).ToImmutableDictionary(StringComparer.Ordinal))
            {
                Steps = steps.TryGetValue(t.Number, out var reported) ? reported : [],
                LastStep = t.LastStep,
                StartedAt = t.StartedAt,
                EndedAt = t.EndedAt,
                Error = t.Error,
                IsInterrupted = t.IsInterrupted,
            }),
        ],
        Settings = [.. StoredTrials.Settings(sweep, trials).Select(s => new KeyValuePair<string, string>(s.Name, s.Value)), new("store", store.DisplayName)],

        // Where the report was written: the store does not record the machines its agents ran on.
        Environment = [.. SweepReport.CurrentEnvironment().Select(e => new KeyValuePair<string, string>($"{e.Key} (writing this report)", e.Value))],
    };
}
