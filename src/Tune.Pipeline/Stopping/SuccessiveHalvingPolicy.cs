using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Asynchronous successive halving: a trial that reaches a rung goes on only if it ranks in the top 1/η there.
/// </summary>
/// <remarks>
/// L. Li, K. Jamieson, A. Rostamizadeh et al., "A system for massively parallel hyperparameter tuning", MLSys 2020,
/// Algorithm 2 (ASHA) with minimum early-stopping rate 0: rung k is step r·η^k. When a trial's report first reaches
/// or passes rung k, its value there is that report's; with n trials recorded at the rung (this one included), it is
/// promoted when fewer than max(1, ⌊n/η⌋) trials are strictly better, so the first trial at a rung always goes on
/// (the asynchronous rule of section 3.3, as Optuna's <c>SuccessiveHalvingPruner</c> does). Otherwise it stops.
/// </remarks>
internal sealed class SuccessiveHalvingPolicy(long minResource, int reductionFactor, long maxResource) : IEarlyStoppingPolicy
{
    /// <summary>Describes the policy and its settings in its options' words, as a sweep records it and <c>tune show</c> prints it.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{nameof(SuccessiveHalvingPolicy)}(MinResource={minResource}, ReductionFactor={reductionFactor}{(maxResource == long.MaxValue ? string.Empty : ", MaxResource=" + maxResource.ToString(CultureInfo.InvariantCulture))})");

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var steps = context.Trial.Steps;
        var step = context.Step;
        var previous = steps.Length > 1 ? steps[^2].Step : long.MinValue;
        var rung = HighestRungUpTo(step);
        if (rung is null || rung.Value <= previous || rung.Value > maxResource)
        {
            return false;
        }

        var own = steps[^1].Value;
        var recorded = 0;
        var better = 0;
        foreach (var trial in context.Trials)
        {
            if (ValueAtRung(trial, rung.Value) is { } value)
            {
                recorded++;
                if (trial.Number != context.Trial.Number && context.Goal.IsBetter(value, own))
                {
                    better++;
                }
            }
        }

        return better >= Math.Max(1, recorded / reductionFactor);
    }

    private long? HighestRungUpTo(long step)
    {
        if (step < minResource)
        {
            return null;
        }

        var rung = minResource;
        while (rung <= step / reductionFactor)
        {
            rung *= reductionFactor;
        }

        return rung;
    }

    private static double? ValueAtRung(Trial trial, long rung)
    {
        foreach (var value in trial.Steps)
        {
            if (value.Step >= rung)
            {
                return value.Value;
            }
        }

        return null;
    }
}
