using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Gaussian-process Bayesian optimisation: a Matern 5/2 GP fitted to the trials, and the next configuration chosen
/// by maximising the logarithm of expected improvement.
/// </summary>
/// <remarks>
/// <para>
/// Model: <see cref="GaussianProcess"/> over the encoded space (unit coordinates for numeric parameters, so log
/// scales, normal priors and quantisation come from <see cref="Parameter.ToUnit"/>; a Hamming kernel for choices).
/// Targets are losses, standardised and then Yeo-Johnson transformed with the power chosen by maximum likelihood
/// (Yeo and Johnson, Biometrika 87(4), 2000), as HEBO does (Cowen-Rivers et al., JAIR 74, 2022), so that heavy
/// tails such as Rosenbrock's do not flatten the model near the optimum.
/// </para>
/// <para>
/// Acquisition: log expected improvement, log EI = log sigma + log h(z), h(z) = phi(z) + z Phi(z),
/// z = (best - mu) / sigma (Jones, Schonlau and Welch, J. Global Optim. 13, 1998, eq. 15), evaluated in log space
/// with the Mills-ratio form for z &lt; -3 so it keeps a gradient far from the incumbent (Ament et al., "Unexpected
/// improvements to expected improvement for Bayesian optimization", NeurIPS 2023, eq. 9). It is maximised from
/// many starts: <see cref="GpSamplerOptions.Candidates"/> points (half uniform, half perturbations of the best
/// trials) are scored, and the best few are refined by bounded L-BFGS over the continuous coordinates alternated
/// with exhaustive or neighbourhood search over each discrete and categorical coordinate, so suggestions always
/// lie on the values a parameter can take.
/// </para>
/// <para>
/// Pending trials (proposed, result not yet known) enter as fantasised observations at the posterior mean, the
/// kriging believer of Ginsbourger, Le Riche and Carraro, "Kriging is well-suited to parallelize optimization"
/// (Computational Intelligence in Expensive Optimization Problems, Springer, 2010): the mean is unchanged, the
/// variance shrinks around each pending point as it will once its result is known, and the incumbent is the best of
/// the real and believed values, so log EI around a pending point falls and the next suggestion goes elsewhere. The
/// hyperparameters and the output warping are fitted to the real results only. Chosen by measurement on the samplers
/// benchmark (tests/Tune.Pipeline.Benchmarks/Results/samplers.md): with 8 trials in flight it beat constant liars at
/// the best, mean and worst loss (believed at those values instead) on every problem in median regret after 100
/// trials (2.4 times lower on hartmann6, two to four orders of magnitude on the others); against local
/// penalisation (Gonzalez, Dai, Hennig and Lawrence, "Batch Bayesian optimization via local penalization", AISTATS
/// 2016: log EI plus the log penaliser of each pending point, the Lipschitz constant estimated as the largest gradient
/// norm of the mean) it won 11 of the 15 pairs of problem and trials in flight (4, 8, 16), among them branin (1.79e-6
/// against 8.55e-6 with 8 in flight) and rosenbrock4 (5.03 against 30.9). Pending trials count towards the start-up
/// trials. Failed and pruned trials carry no final value and are left
/// out of the model. Cost is bounded by <see cref="GpSamplerOptions.MaxPoints"/> (points in the model) and
/// <see cref="GpSamplerOptions.FitPoints"/> (points the hyperparameters are fitted to).
/// </para>
/// </remarks>
internal sealed class GpSampler : ISampler
{
    private readonly GpSamplerOptions _options;

    public GpSampler(GpSamplerOptions? options = null)
    {
        _options = options ?? new GpSamplerOptions();
    }

    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var random = context.CreateRandom();
        var completed = SpaceEncoding.Completed(context);
        var pending = _options.ModelPendingTrials ? context.Pending : [];
        if (!SpaceEncoding.IsPastStartup(completed.Count, pending.Count, _options.StartupTrials) || context.Space.Count == 0)
        {
            return context.Space.Sample(random);
        }

        var encoding = new SpaceEncoding(context.Space);
        if (completed.Count > _options.MaxPoints)
        {
            // Keep the better half of the budget by loss and fill the rest with the most recent trials.
            var best = completed.OrderBy(c => c.Loss).ThenBy(c => c.Trial.Number).Take(_options.MaxPoints / 2).ToList();
            var kept = best.Select(c => c.Trial.Number).ToHashSet();
            var recent = completed.Where(c => !kept.Contains(c.Trial.Number)).OrderByDescending(c => c.Trial.Number).Take(_options.MaxPoints - best.Count);
            completed = [.. best.Concat(recent).OrderBy(c => c.Trial.Number)];
        }

        var d = encoding.Count;
        var n = completed.Count + pending.Count;
        var x = new double[n * d];
        var y = new double[n];
        for (var a = 0; a < completed.Count; a++)
        {
            encoding.Encode(completed[a].Trial.Configuration, x.AsSpan(a * d, d));
            y[a] = completed[a].Loss;
        }

        for (var a = 0; a < pending.Count; a++)
        {
            encoding.Encode(pending[a], x.AsSpan((completed.Count + a) * d, d));
        }

        // The warping and the hyperparameters come from the real results only: a fantasy must not reshape the model.
        var observed = y[..completed.Count];
        OutputWarping.Transform(observed);
        observed.CopyTo(y, 0);
        var incumbent = observed.Min();
        var categorical = encoding.Dimensions.Select(dim => dim.Kind == EncodedKind.Categorical).ToArray();
        var gp = GaussianProcess.Fit(x, completed.Count, d, categorical, observed, _options.FitIterations, FitRows(observed, completed.Count, random));
        if (pending.Count > 0)
        {
            // Kriging believer: each pending trial is observed at the predicted mean, which leaves the mean unchanged
            // everywhere and only removes the uncertainty that trial's result will remove. Fantasising them one by
            // one gives the same targets, since a believed observation never moves the mean at the next one.
            var k = new double[completed.Count];
            var w = new double[completed.Count];
            for (var a = completed.Count; a < n; a++)
            {
                y[a] = gp.Predict(x.AsSpan(a * d, d), k, w).Mean;
            }

            gp = gp.Condition(x, n, y);

            // The believed values count as results, so the incumbent is the best of both: a pending trial that the
            // model expects to improve then has no improvement left to offer, and the next one goes elsewhere.
            incumbent = y.Min();
        }

        var optimizer = new AcquisitionOptimizer(gp, encoding, incumbent, random);
        var point = optimizer.Maximize(x, y, completed.Count, _options.Candidates, _options.LocalStarts);
        var configuration = encoding.Decode(point);
        return Unseen(configuration, context, random);
    }

    // The hyperparameters are fitted to at most FitPoints trials: the best quarter of them and a random draw from
    // the rest (seeded by the trial's own seed), so fitting costs O(FitPoints^3) per iteration however many trials
    // the model holds; the fitted kernel is then applied to every point.
    private int[]? FitRows(double[] y, int completedCount, Random random)
    {
        if (completedCount <= _options.FitPoints)
        {
            return null;
        }

        var order = Enumerable.Range(0, completedCount).OrderBy(a => y[a]).ThenBy(a => a).ToArray();
        var best = _options.FitPoints / 4;
        var rest = order[best..];
        for (var i = 0; i < _options.FitPoints - best; i++)
        {
            var j = i + random.Next(rest.Length - i);
            (rest[i], rest[j]) = (rest[j], rest[i]);
        }

        return [.. order[..best].Concat(rest[..(_options.FitPoints - best)]).Order()];
    }

    // In a discrete space the acquisition can land on a configuration already evaluated; another evaluation there
    // teaches nothing, so draw a fresh one instead (a few attempts, then accept the repeat). With a continuous
    // parameter an exact repeat is the model's deliberate choice (a bound) and is kept.
    internal static Configuration Unseen(Configuration configuration, SamplerContext context, Random random)
    {
        if (!context.Space.IsDiscrete)
        {
            return configuration;
        }

        var seen = context.History.Select(t => t.Configuration).Concat(context.Pending).ToHashSet();
        if (!seen.Contains(configuration))
        {
            return configuration;
        }

        for (var attempt = 0; attempt < 32; attempt++)
        {
            var candidate = context.Space.Sample(random);
            if (!seen.Contains(candidate))
            {
                return candidate;
            }
        }

        return configuration;
    }
}
