namespace Tune.Pipeline.Reporting;

/// <summary>
/// Estimates how much of the objective's variation each parameter explains on its own: the correlation ratio η² of the
/// objective on the parameter's values, grouped into categories (choices) or quantile bins (numbers).
/// </summary>
/// <remarks>
/// η² = Σ_g n_g (ȳ_g − ȳ)² / Σ_i (y_i − ȳ)², the between-group share of the total sum of squares (Pearson's
/// correlation ratio; Kelley 1935; see also Cohen, <i>Statistical Power Analysis</i>, 1988, §8.2). It is a first-order,
/// one-parameter-at-a-time measure, close in spirit to the main effects of fANOVA (Hutter, Hoos and Leyton-Brown, "An
/// Efficient Approach for Assessing Hyperparameter Importance", ICML 2014, §3) but without its random-forest model of
/// the objective and without interactions; on few trials it overstates every parameter, because groups of one or two
/// trials explain noise too. Numbers are split into at most <see cref="MaxBins"/> bins of equal count (by rank),
/// so a log-scaled parameter bins the same as on its own scale.
/// </remarks>
internal static class ParameterImportance
{
    /// <summary>The most bins a numeric parameter is split into.</summary>
    public const int MaxBins = 5;

    /// <summary>Computes η² for each parameter over the completed trials.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="trials">The trials; only completed ones count.</param>
    /// <returns>Each parameter's η² in [0, 1], or <see langword="null"/> where fewer than three trials hold a value for it.</returns>
    public static IReadOnlyList<(ReportParameter Parameter, double? Share)> Compute(IReadOnlyList<ReportParameter> parameters, IReadOnlyList<ReportTrial> trials)
    {
        var completed = trials.Where(t => t.State == Sweeps.TrialState.Completed && t.Value is { } v && double.IsFinite(v)).ToList();
        return [.. parameters.Select(p => (p, Share(p, completed)))];
    }

    private static double? Share(ReportParameter parameter, List<ReportTrial> completed)
    {
        var points = completed
            .Where(t => t.Parameters.TryGetValue(parameter.Name, out var v) && v is not null)
            .Select(t => (Value: t.Parameters[parameter.Name], Objective: t.Value!.Value))
            .ToList();
        if (points.Count < 3)
        {
            return null;
        }

        IEnumerable<IGrouping<string, double>> groups;
        if (parameter.Scale == ReportScale.Category)
        {
            groups = points.GroupBy(p => ReportAxis.Text(p.Value), p => p.Objective, StringComparer.Ordinal);
        }
        else
        {
            var ranked = points.OrderBy(p => ReportAxis.Number(p.Value)).ToList();
            var bins = Math.Min(MaxBins, ranked.Count);

            // Equal values share a bin, so that an integer parameter with few distinct values is not split arbitrarily.
            var binOf = new Dictionary<double, int>();
            for (var i = 0; i < ranked.Count; i++)
            {
                binOf.TryAdd(ReportAxis.Number(ranked[i].Value), i * bins / ranked.Count);
            }

            groups = ranked.GroupBy(p => binOf[ReportAxis.Number(p.Value)].ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Objective, StringComparer.Ordinal);
        }

        var mean = points.Average(p => p.Objective);
        var total = points.Sum(p => (p.Objective - mean) * (p.Objective - mean));
        if (total == 0)
        {
            return 0;
        }

        var between = groups.Sum(g => g.Count() * (g.Average() - mean) * (g.Average() - mean));
        return Math.Clamp(between / total, 0, 1);
    }
}
