using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.SweepFiles;

/// <summary>
/// Decides whether a sweep file's definition of a parameter may replace the declared one: it may narrow the values
/// (tighter bounds, fewer choices, a coarser grid on the declared one) or re-scale them (log instead of linear, a grid
/// instead of a continuum), but every value it can propose must be one the declared parameter allows, and its kind
/// of value (real, integer, choice) stays, so the experiment's parameters type can still hold it.
/// </summary>
internal static class SpaceOverride
{
    // Grids larger than this are checked at their ends and step, not value by value.
    private const long EnumerationLimit = 100_000;

    public static IEnumerable<string> Check(Parameter declared, Parameter replacement)
    {
        var name = declared.Name;
        if (replacement.ValueKind != declared.ValueKind)
        {
            yield return $"space override '{name}' holds {Describe(replacement.ValueKind)} values, but the experiment declares {declared.Describe()} with {Describe(declared.ValueKind)} values; keep its kind of value.";
            yield break;
        }

        if (declared.Kind == ParameterKind.Choice)
        {
            foreach (var choice in replacement.Choices)
            {
                if (!declared.TryNormalize(choice, out _, out _))
                {
                    yield return $"space override '{name}' has choice {Parameter.Format(choice)}, which the experiment does not declare; choose among {string.Join(", ", declared.Choices.Select(Parameter.Format))}.";
                }
            }

            yield break;
        }

        if (!replacement.IsBounded && declared.IsBounded)
        {
            yield return $"space override '{name}' is {replacement.Describe()}, which is unbounded, but the experiment declares {declared.Describe()}; use uniform, loguniform, quniform or int with bounds within [{Parameter.Format(declared.Min)}, {Parameter.Format(declared.Max)}].";
            yield break;
        }

        if (!replacement.IsBounded)
        {
            // Both unbounded: a log-normal (positive) narrows a normal, never the other way round; grids must agree.
            if (declared.IsLog && !replacement.IsLog)
            {
                yield return $"space override '{name}' is {replacement.Describe()}, which reaches values at or below 0, but the experiment declares {declared.Describe()}, which is positive; use lognormal, or bounds above 0.";
            }
            else if (!double.IsNaN(declared.Q) && (double.IsNaN(replacement.Q) || !IsMultiple(replacement.Q, declared.Q)))
            {
                yield return $"space override '{name}' is {replacement.Describe()}, but the experiment declares {declared.Describe()}; use a q that is a multiple of {Parameter.Format(declared.Q)}.";
            }

            yield break;
        }

        if (declared.IsBounded && (replacement.Min < declared.Min || replacement.Max > declared.Max))
        {
            yield return $"space override '{name}' widens {declared.Describe()} to [{Parameter.Format(replacement.Min)}, {Parameter.Format(replacement.Max)}]; an override may only narrow it: use bounds within [{Parameter.Format(declared.Min)}, {Parameter.Format(declared.Max)}].";
            yield break;
        }

        if (!declared.IsDiscrete || (declared.Kind == ParameterKind.IntRange && replacement.ValueKind == ParameterValueKind.Integer))
        {
            // A continuous range accepts any value within it, and an integer range any integer within it: the bounds decide.
            if (!declared.IsBounded)
            {
                foreach (var end in (ReadOnlySpan<double>)[replacement.Min, replacement.Max])
                {
                    if (!declared.TryNormalize(end, out _, out var error))
                    {
                        yield return $"space override '{name}' reaches {Parameter.Format(end)}, which the experiment's {declared.Describe()} does not allow ({error})";
                        break;
                    }
                }
            }

            yield break;
        }

        if (!replacement.IsDiscrete)
        {
            yield return $"space override '{name}' is {replacement.Describe()}, which is continuous, but the experiment declares the grid {declared.Describe()}; use quniform with a q that is a multiple of {Parameter.Format(declared.Q)} and bounds on its grid.";
            yield break;
        }

        if (replacement.ValueCount is { } count && count <= EnumerationLimit)
        {
            foreach (var value in replacement.EnumerateValues())
            {
                if (!declared.TryNormalize(value, out _, out _))
                {
                    yield return $"space override '{name}' can propose {Parameter.Format(value)}, which is not on the experiment's grid {declared.Describe()}; use bounds on that grid and a q that is a multiple of {Parameter.Format(declared.Q)}.";
                    yield break;
                }
            }
        }
        else if (!declared.TryNormalize(replacement.Min, out _, out _) || !declared.TryNormalize(replacement.Max, out _, out _) || !IsMultiple(replacement.Q, declared.Q))
        {
            yield return $"space override '{name}' is {replacement.Describe()}, which is not on the experiment's grid {declared.Describe()}; use bounds on that grid and a q that is a multiple of {Parameter.Format(declared.Q)}.";
        }
    }

    // In decimal, so that 0.3 counts as a multiple of 0.1 (in binary it is not).
    private static bool IsMultiple(double q, double of)
    {
        if (double.IsNaN(q) || !double.IsFinite(q))
        {
            return false;
        }

        if (double.IsNaN(of))
        {
            return true;
        }

        try
        {
            return of != 0 && (decimal)q % (decimal)of == 0m;
        }
        catch (OverflowException)
        {
            var ratio = q / of;
            return Math.Abs(ratio - Math.Round(ratio)) <= 1e-9 * Math.Max(1.0, ratio);
        }
    }

    private static string Describe(ParameterValueKind kind) => kind switch
    {
        ParameterValueKind.Real => "real",
        ParameterValueKind.Integer => "integer",
        _ => "choice",
    };
}
