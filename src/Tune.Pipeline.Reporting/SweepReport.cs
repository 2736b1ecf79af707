using System.Collections.Immutable;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Represents everything <see cref="HtmlReport"/> draws: the sweep, its parameters with their scales, its trials with
/// their steps, and its settings and environment as labelled lines. Built from a finished sweep
/// (<see cref="From(SweepResult, HtmlReportOptions)"/>) or from what a store holds, so both write the same page.
/// </summary>
public sealed record SweepReport
{
    /// <summary>Gets the sweep's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the experiment's name, the page's title.</summary>
    public string Experiment { get; init; } = string.Empty;

    /// <summary>Gets the objective metric's name.</summary>
    public string ObjectiveMetric { get; init; } = "objective";

    /// <summary>Gets whether the objective was maximized or minimized.</summary>
    public Goal Goal { get; init; } = Goal.Minimize;

    /// <summary>Gets why the sweep stopped, in words, or <c>open</c> while it runs.</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary>Gets the parameters, in the search space's order.</summary>
    public ImmutableArray<ReportParameter> Parameters { get; init; } = [];

    /// <summary>Gets the trials, in any order: the report orders them (<see cref="TrialOrder"/>).</summary>
    public ImmutableArray<ReportTrial> Trials { get; init; } = [];

    /// <summary>Gets the sweep's settings (seed, sampler, early stopping, budget) as labelled lines, in the order shown.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>Gets the environment (machine, operating system, .NET, commit) as labelled lines; see <see cref="CurrentEnvironment"/>.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Gets the best completed trial, as <see cref="TrialOrder"/> ranks them.</summary>
    public ReportTrial? Best => TrialOrder.BestFirst(Trials, Goal, static t => t.Standing).FirstOrDefault(t => t.State == TrialState.Completed);

    /// <summary>Describes a finished sweep.</summary>
    /// <param name="result">The finished sweep.</param>
    /// <param name="options">The experiment, objective, goal and settings.</param>
    /// <returns>The report's content.</returns>
    public static SweepReport From(SweepResult result, HtmlReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var space = result.Trials.FirstOrDefault()?.Configuration.Space;
        return new SweepReport
        {
            Name = result.SweepName,
            Experiment = options.Experiment,
            ObjectiveMetric = options.ObjectiveMetric,
            Goal = options.Goal,
            Outcome = SweepSummary.StopReason(result.StopReason),
            Parameters = space is null ? [] : [.. space.Parameters.Select(ReportParameter.From)],
            Trials = [.. result.Trials.Select(ReportTrial.From)],
            Settings = [.. options.Settings],
            Environment = [.. options.Environment],
        };
    }

    /// <summary>Describes the machine writing the report: its name, operating system, .NET runtime and processor count.</summary>
    /// <returns>The labelled lines.</returns>
    public static ImmutableArray<KeyValuePair<string, string>> CurrentEnvironment() =>
    [
        new("machine", System.Environment.MachineName),
        new("operating system", System.Runtime.InteropServices.RuntimeInformation.OSDescription),
        new(".NET", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
        new("processors", System.Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
