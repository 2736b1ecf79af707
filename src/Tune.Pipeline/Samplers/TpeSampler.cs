using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// The tree-structured Parzen estimator: splits the trials into good and bad by value, fits a density to each,
/// and proposes the candidate drawn from the good density that maximises the ratio of the two.
/// </summary>
/// <remarks>
/// <para>
/// Bergstra, Bardenet, Bengio and Kegl, "Algorithms for hyper-parameter optimization", NeurIPS 2011, section 4:
/// with l(x) the density of the best gamma-fraction of trials and g(x) that of the rest, expected improvement is
/// monotone in l(x) / g(x) (eq. 4-6), so <see cref="TpeSamplerOptions.Candidates"/> draws from l are scored by
/// log l(x) - log g(x) and the best is proposed.
/// </para>
/// <para>
/// Refinements as described by Watanabe (arXiv:2304.11127, 2023) and used by Optuna: the good set is the best
/// min(ceil(gamma n), <see cref="TpeSamplerOptions.MaxGoodTrials"/>) trials (section 3.1); bad trials older than the
/// 25 most recent are down-weighted linearly from 1/n (section 3.2); each density mixes in the prior with weight
/// <see cref="TpeSamplerOptions.PriorWeight"/>; multivariate kernels (one joint kernel per trial, Falkner, Klein and
/// Hutter, "BOHB", ICML 2018) capture interactions; bandwidths and categorical kernels are in
/// <see cref="ParzenEstimator"/>. Numeric parameters are modelled by their unit coordinate
/// (<see cref="Parameter.ToUnit"/>), so log scales and normal priors are honoured, and draws of discrete ones are
/// snapped to the centre of a value's cell. Pruned trials and pending trials (a constant liar, as Optuna's
/// <c>constant_liar</c> option) count as bad, and pending trials count towards the start-up trials.
/// </para>
/// </remarks>
internal sealed class TpeSampler : ISampler
{
    private const int FullWeightTrials = 25;

    private readonly TpeSamplerOptions _options;

    public TpeSampler(TpeSamplerOptions options)
    {
        _options = options;
    }

    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var random = context.CreateRandom();
        var completed = SpaceEncoding.Completed(context);
        var pending = _options.ConstantLiar ? context.Pending.Count : 0;
        if (!SpaceEncoding.IsPastStartup(completed.Count, pending, _options.StartupTrials) || context.Space.Count == 0)
        {
            return context.Space.Sample(random);
        }

        var encoding = new SpaceEncoding(context.Space);
        var d = encoding.Count;
        var ranked = completed.OrderBy(c => c.Loss).ThenBy(c => c.Trial.Number).ToList();
        var goodCount = Math.Min((int)Math.Ceiling(_options.Gamma * completed.Count), _options.MaxGoodTrials);
        goodCount = Math.Clamp(goodCount, 1, completed.Count);

        var good = ranked.Take(goodCount).Select(c => (c.Trial.Number, c.Trial.Configuration)).OrderBy(t => t.Number).ToList();
        var bad = ranked.Skip(goodCount).Select(c => (c.Trial.Number, c.Trial.Configuration)).ToList();
        bad.AddRange(context.History.Where(t => t.State == TrialState.Pruned).Select(t => (t.Number, t.Configuration)));
        bad.Sort((a, b) => a.Number.CompareTo(b.Number));
        if (_options.ConstantLiar)
        {
            // Pending trials are the most recent ones; they keep full weight.
            bad.AddRange(context.Pending.Select((p, i) => (int.MaxValue - context.Pending.Count + i, p)));
        }

        var lower = Build(encoding, good);
        var upper = Build(encoding, bad);
        var candidate = new double[d];
        var best = new double[d];
        var bestScore = double.NegativeInfinity;
        var scratch = new double[Math.Max(good.Count, bad.Count) + 1];
        for (var c = 0; c < Math.Max(1, _options.Candidates); c++)
        {
            lower.Sample(random, candidate);
            var score = lower.LogDensity(candidate, scratch) - upper.LogDensity(candidate, scratch);
            if (score > bestScore || c == 0)
            {
                bestScore = score;
                candidate.CopyTo(best, 0);
            }
        }

        return GpSampler.Unseen(encoding.Decode(best), context, random);
    }

    /// <summary>Optuna's default weights: 1 for the 25 most recent observations, a ramp from 1/n for older ones.</summary>
    internal static double[] Weights(int count)
    {
        var weights = new double[count];
        if (count < FullWeightTrials)
        {
            Array.Fill(weights, 1.0);
            return weights;
        }

        var ramp = count - FullWeightTrials;
        for (var k = 0; k < ramp; k++)
        {
            weights[k] = ramp == 1 ? 1.0 / count : (1.0 / count) + ((1.0 - (1.0 / count)) * k / (ramp - 1));
        }

        Array.Fill(weights, 1.0, ramp, FullWeightTrials);
        return weights;
    }

    private ParzenEstimator Build(SpaceEncoding encoding, List<(int Number, Configuration Configuration)> trials)
    {
        var d = encoding.Count;
        var points = new double[trials.Count * d];
        for (var k = 0; k < trials.Count; k++)
        {
            encoding.Encode(trials[k].Configuration, points.AsSpan(k * d, d));
        }

        return new ParzenEstimator(encoding, points, trials.Count, Weights(trials.Count), _options.PriorWeight, _options.Multivariate);
    }
}
