using System.Globalization;
using System.Text;
using Tune.Pipeline.Publishing;

namespace Tune.Pipeline.Cli.Gate;

/// <summary>Writes the gate's markdown summary: verdict, values, difference, ratio, the parameters that changed, and where each model came from.</summary>
internal static class GateSummary
{
    /// <summary>Renders the summary.</summary>
    /// <param name="baseline">The baseline's manifest.</param>
    /// <param name="candidate">The candidate's manifest.</param>
    /// <param name="verdict">The comparison.</param>
    /// <param name="allowance">The allowed regression.</param>
    /// <param name="baselineSource">Where a downloaded baseline came from (a URL without its SAS token, <c>models:/NAME/VERSION</c>), shown instead of the temporary folder it was read from.</param>
    public static string Render(PublishedManifest baseline, PublishedManifest candidate, GateVerdict verdict, GateAllowance allowance, string? baselineSource = null)
    {
        var text = new StringBuilder();
        var heading = verdict.Outcome switch
        {
            GateOutcome.Pass => "passed",
            GateOutcome.Inconclusive => "passed (inconclusive: run more repeats)",
            _ => "failed: regression",
        };
        Line(text, $"## Tune gate: {candidate.Experiment} {heading}");
        Line(text, string.Empty);
        var measured = verdict.Noise is { } n ? $" (mean of {n.CandidateValues.Count} seeds)" : string.Empty;
        Line(text, $"| {candidate.ObjectiveMetric} ({verdict.Goal.ToString().ToLowerInvariant()}){measured} | baseline | candidate |");
        Line(text, "| --- | ---: | ---: |");
        Line(text, $"| value | {F(verdict.Baseline)} | {F(verdict.Candidate)} |");
        if (verdict.Noise is { } noise)
        {
            Line(text, $"| standard deviation | {F(noise.BaselineDeviation)} | {F(noise.CandidateDeviation)} |");
            Line(text, $"| published value | {F(baseline.Value)} | {F(candidate.Value)} |");
        }

        Line(text, string.Empty);
        Line(text, $"- difference (candidate − baseline): {F(verdict.Candidate - verdict.Baseline)}; improvement for the goal: {F(verdict.Improvement)}");
        Line(text, $"- ratio (candidate / baseline): {(double.IsNaN(verdict.Ratio) ? "n/a (baseline is 0)" : F(verdict.Ratio))}");
        Line(text, $"- allowed regression: {allowance} = {F(verdict.Allowed)}");
        if (verdict.Noise is { } bound)
        {
            Line(text, string.Create(CultureInfo.InvariantCulture,
                $"- noise-aware: {bound.Confidence * 100:G4}% one-sided Welch t bounds on the improvement: [{F(bound.Lower)}, {F(bound.Upper)}] (standard error {F(bound.StandardError)}, {(double.IsInfinity(bound.DegreesOfFreedom) ? "no spread" : $"{bound.DegreesOfFreedom:G4} degrees of freedom, t = {bound.T:G4}")}); a regression fails only when the upper bound is below −{F(verdict.Allowed)}"));
            Line(text, $"- baseline values: {string.Join(", ", bound.BaselineValues.Select(F))}");
            Line(text, $"- candidate values: {string.Join(", ", bound.CandidateValues.Select(F))}");
        }

        var names = baseline.Parameters.Keys.Union(candidate.Parameters.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var changed = names.Where(p => !Equals(Value(baseline, p), Value(candidate, p))).ToList();
        Line(text, string.Empty);
        if (changed.Count == 0)
        {
            Line(text, "Parameters: unchanged.");
        }
        else
        {
            Line(text, "| parameter that changed | baseline | candidate |");
            Line(text, "| --- | ---: | ---: |");
            foreach (var name in changed)
            {
                Line(text, $"| {name} | {Show(Value(baseline, name))} | {Show(Value(candidate, name))} |");
            }
        }

        Line(text, string.Empty);
        Line(text, "| | baseline | candidate |");
        Line(text, "| --- | --- | --- |");
        Line(text, $"| folder | `{baselineSource ?? baseline.Directory}` | `{candidate.Directory}` |");
        Line(text, $"| sweep | {baseline.SweepName} (seed {baseline.SweepSeed}, trial {baseline.BestTrial}) | {candidate.SweepName} (seed {candidate.SweepSeed}, trial {candidate.BestTrial}) |");
        Line(text, $"| commit | {Commit(baseline.GitCommit)} | {Commit(candidate.GitCommit)} |");
        Line(text, $"| published | {baseline.PublishedAt:u} | {candidate.PublishedAt:u} |");
        return text.ToString();
    }

    // A commit links to the repository's page for it when the job runs on GitHub Actions.
    private static string Commit(string sha)
    {
        var server = Environment.GetEnvironmentVariable("GITHUB_SERVER_URL");
        var repository = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY");
        return sha != "unknown" && server is { Length: > 0 } && repository is { Length: > 0 }
            ? $"[{sha[..Math.Min(12, sha.Length)]}]({server}/{repository}/commit/{sha})"
            : sha;
    }

    private static object? Value(PublishedManifest manifest, string name) => manifest.Parameters.GetValueOrDefault(name);

    private static string Show(object? value) => value switch
    {
        null => "(absent)",
        double d => F(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
