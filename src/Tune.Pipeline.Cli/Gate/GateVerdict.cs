using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Gate;

/// <summary>The gate's outcome.</summary>
internal enum GateOutcome
{
    /// <summary>The candidate is no worse than allowed.</summary>
    Pass,

    /// <summary>With repeats: the interval straddles the allowed regression; the gate passes and says so.</summary>
    Inconclusive,

    /// <summary>The candidate is worse than allowed (with repeats: at the stated confidence).</summary>
    Regression,
}

/// <summary>
/// Represents one comparison of a candidate with its baseline: the values, the difference oriented so that a positive
/// one is an improvement for the goal, what was allowed, and the outcome.
/// </summary>
/// <param name="Goal">The objective's goal.</param>
/// <param name="Baseline">The baseline's value (with repeats: the mean).</param>
/// <param name="Candidate">The candidate's value (with repeats: the mean).</param>
/// <param name="Allowed">The allowed regression, in the objective's units.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="Noise">With repeats, the confidence bound that decided; otherwise <see langword="null"/>.</param>
internal sealed record GateVerdict(Goal Goal, double Baseline, double Candidate, double Allowed, GateOutcome Outcome, NoiseBound? Noise)
{
    /// <summary>Gets the improvement: candidate − baseline when maximizing, baseline − candidate when minimizing.</summary>
    public double Improvement => Goal == Goal.Maximize ? Candidate - Baseline : Baseline - Candidate;

    /// <summary>Gets candidate / baseline, or NaN when the baseline is 0.</summary>
    public double Ratio => Baseline == 0 ? double.NaN : Candidate / Baseline;

    /// <summary>Compares two published values: a regression is an improvement below −allowed.</summary>
    public static GateVerdict Compare(Goal goal, double baseline, double candidate, GateAllowance allowance)
    {
        var allowed = allowance.For(baseline);
        var verdict = new GateVerdict(goal, baseline, candidate, allowed, GateOutcome.Pass, null);
        return verdict.Improvement < -allowed ? verdict with { Outcome = GateOutcome.Regression } : verdict;
    }

    /// <summary>
    /// Compares k retrained values of each side with a one-sided Welch t confidence bound on the difference of the means.
    /// </summary>
    /// <remarks>
    /// Welch's unequal-variances t interval (B. L. Welch, "The generalization of 'Student's' problem when several
    /// different population variances are involved", Biometrika 34, 1947): with means m, sample variances s² and counts n,
    /// the improvement D = ±(m_c − m_b) has standard error se = √(s_c²/n_c + s_b²/n_b) and ν = se⁴ / ((s_c²/n_c)²/(n_c−1) +
    /// (s_b²/n_b)²/(n_b−1)) degrees of freedom (Welch–Satterthwaite). The one-sided bounds at confidence c are
    /// D ± t_{c,ν}·se. The gate fails only when the upper bound lies below −allowed, that is when the data show at
    /// confidence c that the candidate regressed by more than allowed, so seed noise alone does not fail a pull request;
    /// it passes outright when the lower bound lies at or above −allowed, and otherwise passes as inconclusive, asking
    /// for more repeats. With no spread at all (a deterministic trainer) both bounds are D.
    /// </remarks>
    public static GateVerdict Compare(Goal goal, IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, GateAllowance allowance, double confidence)
    {
        var (baselineMean, baselineVariance) = MeanAndVariance(baseline);
        var (candidateMean, candidateVariance) = MeanAndVariance(candidate);
        var allowed = allowance.For(baselineMean);
        var verdict = new GateVerdict(goal, baselineMean, candidateMean, allowed, GateOutcome.Pass, null);
        var a = baselineVariance / baseline.Count;
        var b = candidateVariance / candidate.Count;
        var standardError = Math.Sqrt(a + b);
        double degreesOfFreedom, t;
        if (standardError > 0)
        {
            degreesOfFreedom = (standardError * standardError * standardError * standardError) / ((a * a / (baseline.Count - 1)) + (b * b / (candidate.Count - 1)));
            t = StudentT.Quantile(confidence, degreesOfFreedom);
        }
        else
        {
            degreesOfFreedom = double.PositiveInfinity;
            t = 0;
        }

        var noise = new NoiseBound(confidence, baseline, candidate, Math.Sqrt(baselineVariance), Math.Sqrt(candidateVariance), standardError, degreesOfFreedom, t,
            verdict.Improvement - (t * standardError), verdict.Improvement + (t * standardError));
        var outcome = noise.Upper < -allowed ? GateOutcome.Regression : noise.Lower >= -allowed ? GateOutcome.Pass : GateOutcome.Inconclusive;
        return verdict with { Outcome = outcome, Noise = noise };
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, variance);
    }
}

/// <summary>Represents the repeats behind a noise-aware verdict and the Welch bounds on the improvement.</summary>
/// <param name="Confidence">The one-sided confidence level, such as 0.95.</param>
/// <param name="BaselineValues">The baseline's values, one per seed.</param>
/// <param name="CandidateValues">The candidate's values, one per seed.</param>
/// <param name="BaselineDeviation">The baseline's sample standard deviation.</param>
/// <param name="CandidateDeviation">The candidate's sample standard deviation.</param>
/// <param name="StandardError">The standard error of the difference of the means.</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite's degrees of freedom (infinite without spread).</param>
/// <param name="T">The t quantile used.</param>
/// <param name="Lower">The lower confidence bound on the improvement.</param>
/// <param name="Upper">The upper confidence bound on the improvement.</param>
internal sealed record NoiseBound(
    double Confidence,
    IReadOnlyList<double> BaselineValues,
    IReadOnlyList<double> CandidateValues,
    double BaselineDeviation,
    double CandidateDeviation,
    double StandardError,
    double DegreesOfFreedom,
    double T,
    double Lower,
    double Upper);
