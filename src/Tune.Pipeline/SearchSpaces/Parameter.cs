using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// Represents one dimension of a search space: its name, distribution and bounds, all in the parameter's own units.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Every parameter maps to and from the unit interval (see <see cref="ToUnit"/> and
/// <see cref="FromUnit"/>), which is what samplers work in: a uniform draw from [0, 1) mapped through
/// <see cref="FromUnit"/> is a draw from the parameter's distribution, and discrete values map to the centres of
/// equal-probability cells so that <c>FromUnit(ToUnit(v)) == v</c>.
/// </remarks>
public sealed class Parameter
{
    // Keeps u away from 0 and 1, where the normal quantile is infinite.
    private const double UnitEpsilon = 1.0 / (1L << 53);

    private Parameter(
        string name,
        ParameterKind kind,
        ParameterValueKind valueKind,
        double min = double.NaN,
        double max = double.NaN,
        double mu = double.NaN,
        double sigma = double.NaN,
        double q = double.NaN,
        bool isLog = false,
        ImmutableArray<object> choices = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        ValueKind = valueKind;
        Min = min;
        Max = max;
        Mu = mu;
        Sigma = sigma;
        Q = q;
        IsLog = isLog;
        Choices = choices.IsDefault ? [] : choices;
    }

    /// <summary>Gets the parameter's name: the property name for a generated search space.</summary>
    public string Name { get; }

    /// <summary>Gets the distribution the parameter is sampled from.</summary>
    public ParameterKind Kind { get; }

    /// <summary>Gets how values are held: <see cref="double"/>, <see cref="long"/>, or one of the choices.</summary>
    public ParameterValueKind ValueKind { get; }

    /// <summary>Gets the smallest value of a bounded parameter, or <see cref="double.NaN"/>.</summary>
    public double Min { get; }

    /// <summary>Gets the largest value of a bounded parameter, or <see cref="double.NaN"/>.</summary>
    public double Max { get; }

    /// <summary>Gets the mean (normal) or median (log-normal), or <see cref="double.NaN"/>.</summary>
    public double Mu { get; }

    /// <summary>Gets the standard deviation (of the logarithm, for log-normal), or <see cref="double.NaN"/>.</summary>
    public double Sigma { get; }

    /// <summary>Gets the quantum of a quantised parameter, or <see cref="double.NaN"/>.</summary>
    public double Q { get; }

    /// <summary>Gets a value indicating whether the parameter is searched on a log scale.</summary>
    public bool IsLog { get; }

    /// <summary>Gets the values of a choice parameter, in declaration order; empty for other kinds.</summary>
    public ImmutableArray<object> Choices { get; }

    /// <summary>Gets a value indicating whether the parameter has finite bounds (every kind but the normal ones).</summary>
    public bool IsBounded => Kind is not (ParameterKind.Normal or ParameterKind.LogNormal or ParameterKind.QNormal or ParameterKind.QLogNormal);

    /// <summary>Gets a value indicating whether the parameter has finitely many values, so it can be enumerated.</summary>
    public bool IsDiscrete => Kind is ParameterKind.QUniform or ParameterKind.QLogUniform or ParameterKind.IntRange or ParameterKind.Choice;

    /// <summary>Gets the number of values of a discrete parameter, or <see langword="null"/> for a continuous one.</summary>
    public long? ValueCount => Kind switch
    {
        ParameterKind.Choice => Choices.Length,
        ParameterKind.IntRange => (long)(Max - Min) + 1,
        ParameterKind.QUniform or ParameterKind.QLogUniform => GridSteps() + 1,
        _ => null,
    };

    /// <summary>Creates a parameter sampled uniformly from [min, max].</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <returns>The parameter.</returns>
    public static Parameter Uniform(string name, double min, double max) =>
        new(name, ParameterKind.Uniform, ParameterValueKind.Real, min: min, max: max);

    /// <summary>Creates a parameter sampled log-uniformly from [min, max], both positive.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <returns>The parameter.</returns>
    public static Parameter LogUniform(string name, double min, double max) =>
        new(name, ParameterKind.LogUniform, ParameterValueKind.Real, min: min, max: max, isLog: true);

    /// <summary>Creates a normally distributed parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="mu">The mean.</param>
    /// <param name="sigma">The standard deviation.</param>
    /// <returns>The parameter.</returns>
    public static Parameter Normal(string name, double mu, double sigma) =>
        new(name, ParameterKind.Normal, ParameterValueKind.Real, mu: mu, sigma: sigma);

    /// <summary>Creates a log-normally distributed parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="mu">The median, in the parameter's own units.</param>
    /// <param name="sigma">The standard deviation of the value's natural logarithm.</param>
    /// <returns>The parameter.</returns>
    public static Parameter LogNormal(string name, double mu, double sigma) =>
        new(name, ParameterKind.LogNormal, ParameterValueKind.Real, mu: mu, sigma: sigma, isLog: true);

    /// <summary>Creates a parameter sampled uniformly from the grid min, min + q, ..., max.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="q">The quantum; it must divide max - min.</param>
    /// <param name="integral">Whether values are integers (<see cref="long"/>) rather than doubles.</param>
    /// <returns>The parameter.</returns>
    public static Parameter QUniform(string name, double min, double max, double q, bool integral = false) =>
        new(name, ParameterKind.QUniform, integral ? ParameterValueKind.Integer : ParameterValueKind.Real, min: min, max: max, q: q);

    /// <summary>Creates a parameter sampled log-uniformly from [min, max] and rounded to the grid min, min + q, ..., max.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="min">The smallest value, positive.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="q">The quantum; it must divide max - min.</param>
    /// <param name="integral">Whether values are integers (<see cref="long"/>) rather than doubles.</param>
    /// <returns>The parameter.</returns>
    public static Parameter QLogUniform(string name, double min, double max, double q, bool integral = false) =>
        new(name, ParameterKind.QLogUniform, integral ? ParameterValueKind.Integer : ParameterValueKind.Real, min: min, max: max, q: q, isLog: true);

    /// <summary>Creates a normally distributed parameter rounded to a multiple of q.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="mu">The mean.</param>
    /// <param name="sigma">The standard deviation.</param>
    /// <param name="q">The quantum.</param>
    /// <param name="integral">Whether values are integers (<see cref="long"/>) rather than doubles.</param>
    /// <returns>The parameter.</returns>
    public static Parameter QNormal(string name, double mu, double sigma, double q, bool integral = false) =>
        new(name, ParameterKind.QNormal, integral ? ParameterValueKind.Integer : ParameterValueKind.Real, mu: mu, sigma: sigma, q: q);

    /// <summary>Creates a log-normally distributed parameter rounded to a multiple of q.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="mu">The median, in the parameter's own units.</param>
    /// <param name="sigma">The standard deviation of the value's natural logarithm.</param>
    /// <param name="q">The quantum.</param>
    /// <param name="integral">Whether values are integers (<see cref="long"/>) rather than doubles.</param>
    /// <returns>The parameter.</returns>
    public static Parameter QLogNormal(string name, double mu, double sigma, double q, bool integral = false) =>
        new(name, ParameterKind.QLogNormal, integral ? ParameterValueKind.Integer : ParameterValueKind.Real, mu: mu, sigma: sigma, q: q, isLog: true);

    /// <summary>Creates an integer parameter in [min, max], both inclusive.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="log">Whether to sample on a log scale; min must then be positive.</param>
    /// <returns>The parameter.</returns>
    public static Parameter IntRange(string name, long min, long max, bool log = false) =>
        new(name, ParameterKind.IntRange, ParameterValueKind.Integer, min: min, max: max, isLog: log);

    /// <summary>Creates a parameter that takes one of the given values.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <param name="values">The values: strings, integers, reals, booleans or members of one enum type.</param>
    /// <returns>The parameter.</returns>
    /// <remarks>Integers are held as <see cref="long"/> and reals as <see cref="double"/>, whatever their declared type.</remarks>
    public static Parameter Choice(string name, IEnumerable<object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, ParameterKind.Choice, ParameterValueKind.Categorical, choices: [.. values.Select(NormalizeChoice)]);
    }

    /// <summary>Maps a point of the unit interval to a value of this parameter.</summary>
    /// <param name="u">A point in [0, 1]; values outside are clamped.</param>
    /// <returns>The value: a <see cref="double"/>, a <see cref="long"/>, or one of <see cref="Choices"/>.</returns>
    public object FromUnit(double u)
    {
        u = double.IsNaN(u) ? 0.5 : Math.Clamp(u, 0.0, 1.0);
        switch (Kind)
        {
            case ParameterKind.Uniform:
                return Math.Clamp(Min + u * (Max - Min), Min, Max);
            case ParameterKind.LogUniform:
                return Math.Clamp(Math.Exp(Lerp(Math.Log(Min), Math.Log(Max), u)), Min, Max);
            case ParameterKind.Normal:
                return Mu + Sigma * NormalDistribution.Quantile(Interior(u));
            case ParameterKind.LogNormal:
                return Mu * Math.Exp(Sigma * NormalDistribution.Quantile(Interior(u)));
            case ParameterKind.QUniform:
                return GridValue(Math.Min((long)Math.Floor(u * (GridSteps() + 1)), GridSteps()));
            case ParameterKind.QLogUniform:
                var continuous = Math.Exp(Lerp(Math.Log(Min), Math.Log(Max), u));
                return GridValue(Math.Clamp((long)Math.Round((continuous - Min) / Q), 0, GridSteps()));
            case ParameterKind.QNormal:
                return Quantise(Mu + Sigma * NormalDistribution.Quantile(Interior(u)));
            case ParameterKind.QLogNormal:
                return Quantise(Mu * Math.Exp(Sigma * NormalDistribution.Quantile(Interior(u))));
            case ParameterKind.IntRange when IsLog:
                var x = Math.Exp(Lerp(Math.Log(Min - 0.5), Math.Log(Max + 0.5), u));
                return (long)Math.Clamp(Math.Round(x), Min, Max);
            case ParameterKind.IntRange:
                return (long)Math.Min(Min + Math.Floor(u * (Max - Min + 1)), Max);
            case ParameterKind.Choice:
                return Choices[Math.Min((int)(u * Choices.Length), Choices.Length - 1)];
            default:
                throw new InvalidOperationException($"Parameter '{Name}' has an unknown kind {Kind}.");
        }
    }

    /// <summary>Maps a value of this parameter to the unit interval; the inverse of <see cref="FromUnit"/>.</summary>
    /// <param name="value">A value of this parameter, as held in a <see cref="Configuration"/>.</param>
    /// <returns>A point in [0, 1]: for discrete values, the centre of the value's cell.</returns>
    public double ToUnit(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (Kind)
        {
            case ParameterKind.Uniform:
                return Math.Clamp((AsDouble(value) - Min) / (Max - Min), 0.0, 1.0);
            case ParameterKind.LogUniform:
            case ParameterKind.QLogUniform:
                return Math.Clamp((Math.Log(AsDouble(value)) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)), 0.0, 1.0);
            case ParameterKind.Normal:
            case ParameterKind.QNormal:
                return NormalDistribution.Cdf((AsDouble(value) - Mu) / Sigma);
            case ParameterKind.LogNormal:
            case ParameterKind.QLogNormal:
                // A quantised log-normal can round down to 0; place it at half a quantum, inside its cell.
                var positive = Math.Max(AsDouble(value), Kind == ParameterKind.QLogNormal ? Q / 2 : double.Epsilon);
                return NormalDistribution.Cdf(Math.Log(positive / Mu) / Sigma);
            case ParameterKind.QUniform:
                return (Math.Round((AsDouble(value) - Min) / Q) + 0.5) / (GridSteps() + 1);
            case ParameterKind.IntRange when IsLog:
                return Math.Clamp((Math.Log(AsDouble(value)) - Math.Log(Min - 0.5)) / (Math.Log(Max + 0.5) - Math.Log(Min - 0.5)), 0.0, 1.0);
            case ParameterKind.IntRange:
                return (AsDouble(value) - Min + 0.5) / (Max - Min + 1);
            case ParameterKind.Choice:
                var index = IndexOfChoice(value);
                return index < 0 ? throw new ArgumentException($"Parameter '{Name}' has no choice {Format(value)}.", nameof(value)) : (index + 0.5) / Choices.Length;
            default:
                throw new InvalidOperationException($"Parameter '{Name}' has an unknown kind {Kind}.");
        }
    }

    /// <summary>Draws a value from the parameter's distribution.</summary>
    /// <param name="random">The random source.</param>
    /// <returns>The value.</returns>
    public object Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return FromUnit(random.NextDouble());
    }

    /// <summary>Enumerates every value of a discrete parameter in ascending (or declaration) order.</summary>
    /// <returns>The values.</returns>
    /// <exception cref="InvalidOperationException">The parameter is continuous or unbounded.</exception>
    public IEnumerable<object> EnumerateValues()
    {
        var count = ValueCount ?? throw new InvalidOperationException(
            $"Parameter '{Name}' is {Kind}, which has no finite set of values. Use a quantised, integer or choice parameter for a grid, or another sampler.");
        return Kind switch
        {
            ParameterKind.Choice => Choices,
            ParameterKind.IntRange => LongRange((long)Min, count).Cast<object>(),
            _ => LongRange(0, count).Select(GridValue),
        };
    }

    /// <summary>
    /// Checks a value for this parameter and converts it to the form a <see cref="Configuration"/> holds.
    /// </summary>
    /// <param name="value">The value: any number, a string or enum member for a choice.</param>
    /// <param name="normalized">The value as a <see cref="double"/>, <see cref="long"/> or one of the choices.</param>
    /// <param name="error">A sentence naming the parameter, the value and what is allowed.</param>
    /// <returns><see langword="true"/> when the value is valid.</returns>
    public bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        error = null;
        if (value is null)
        {
            error = $"Parameter '{Name}' has no value. Give it {Allowed()}.";
            return false;
        }

        if (Kind == ParameterKind.Choice)
        {
            var index = IndexOfChoice(value);
            if (index < 0)
            {
                error = $"Parameter '{Name}' is {Format(value)}, which is not one of its choices. Use {Allowed()}.";
                return false;
            }

            normalized = Choices[index];
            return true;
        }

        if (!TryGetNumber(value, out var number))
        {
            error = $"Parameter '{Name}' is {Format(value)}, which is not a number. Give it {Allowed()}.";
            return false;
        }

        if (!double.IsFinite(number))
        {
            error = $"Parameter '{Name}' is {Format(number)}; it must be a finite number.";
            return false;
        }

        if (IsBounded && (number < Min || number > Max))
        {
            error = $"Parameter '{Name}' is {Format(number)}, outside [{Format(Min)}, {Format(Max)}]. Use {Allowed()}.";
            return false;
        }

        if (Kind is ParameterKind.LogNormal && number <= 0)
        {
            error = $"Parameter '{Name}' is {Format(number)}, but a log-normal parameter is positive.";
            return false;
        }

        if (!double.IsNaN(Q))
        {
            var origin = IsBounded ? Min : 0.0;
            var steps = (number - origin) / Q;
            if (Math.Abs(steps - Math.Round(steps)) > 1e-9 * Math.Max(1.0, Math.Abs(steps)))
            {
                error = $"Parameter '{Name}' is {Format(number)}, which is not on its grid of step {Format(Q)}. Use {Allowed()}.";
                return false;
            }

            number = IsBounded ? (double)GridValueAsDouble((long)Math.Round(steps)) : Math.Round(steps) * Q;
        }

        if (ValueKind == ParameterValueKind.Integer)
        {
            if (number != Math.Floor(number) || number < long.MinValue || number > long.MaxValue)
            {
                error = $"Parameter '{Name}' is {Format(number)}, which is not an integer. Use {Allowed()}.";
                return false;
            }

            normalized = (long)number;
            return true;
        }

        normalized = number;
        return true;
    }

    /// <summary>Describes the parameter, as in <c>LearningRate: LogUniform(0.001, 0.3)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name}: {Describe()}";

    /// <summary>Gets a short description of the distribution, such as <c>LogUniform(0.001, 0.3)</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => Kind switch
    {
        ParameterKind.Uniform or ParameterKind.LogUniform => $"{Kind}({Format(Min)}, {Format(Max)})",
        ParameterKind.Normal or ParameterKind.LogNormal => $"{Kind}({Format(Mu)}, {Format(Sigma)})",
        ParameterKind.QUniform or ParameterKind.QLogUniform => $"{Kind}({Format(Min)}, {Format(Max)}, {Format(Q)})",
        ParameterKind.QNormal or ParameterKind.QLogNormal => $"{Kind}({Format(Mu)}, {Format(Sigma)}, {Format(Q)})",
        ParameterKind.IntRange => IsLog ? $"IntRange({Format(Min)}, {Format(Max)}, Log)" : $"IntRange({Format(Min)}, {Format(Max)})",
        _ => $"Choice({string.Join(", ", Choices.Select(Format))})",
    };

    /// <summary>Formats a parameter value the same way on every machine and locale (round-trip precision).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Lists every problem with this parameter's definition, each as one sentence that says how to fix it.</summary>
    /// <returns>The problems; empty when the parameter is valid.</returns>
    internal IEnumerable<string> Validate()
    {
        var prefix = $"Parameter '{Name}'";
        if (Kind == ParameterKind.Choice)
        {
            if (Choices.IsEmpty)
            {
                yield return $"{prefix} has no choices. Give it at least one value.";
            }

            var duplicate = Choices.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                yield return $"{prefix} lists the choice {Format(duplicate.Key)} more than once. Remove the duplicate.";
            }

            var types = Choices.Select(c => c.GetType()).Distinct().ToList();
            if (types.Count > 1)
            {
                yield return $"{prefix} mixes choices of types {string.Join(", ", types.Select(t => t.Name))}. Use values of one type.";
            }

            yield break;
        }

        if (IsBounded)
        {
            if (!double.IsFinite(Min) || !double.IsFinite(Max))
            {
                yield return $"{prefix} has Min {Format(Min)} and Max {Format(Max)}; both must be finite numbers.";
                yield break;
            }

            if (Min >= Max)
            {
                yield return $"{prefix} has Min {Format(Min)} and Max {Format(Max)}; Min must be below Max. Swap the bounds.";
            }

            if (IsLog && Min <= 0)
            {
                yield return $"{prefix} is log-scaled but Min is {Format(Min)}. Use a positive Min such as 1e-6, or drop Log.";
            }
        }
        else
        {
            if (!double.IsFinite(Mu) || !double.IsFinite(Sigma) || Sigma <= 0)
            {
                yield return $"{prefix} has sigma {Format(Sigma)}; it must be a positive finite number.";
            }

            if (IsLog && !(Mu > 0))
            {
                yield return $"{prefix} is log-normal with median {Format(Mu)}; the median must be positive.";
            }
        }

        if (Kind is ParameterKind.QUniform or ParameterKind.QLogUniform or ParameterKind.QNormal or ParameterKind.QLogNormal)
        {
            if (!(Q > 0) || !double.IsFinite(Q))
            {
                yield return $"{prefix} has quantum {Format(Q)}; it must be positive.";
            }
            else if (IsBounded && Min < Max && !QuantumDividesRange(Min, Max, Q))
            {
                yield return $"{prefix} has quantum {Format(Q)}, which does not divide the range {Format(Min)}..{Format(Max)}. Use a quantum that divides {Format(Max - Min)}, or move a bound.";
            }
        }
    }

    /// <summary>Appends the parameter's canonical, culture-independent description, for the space's fingerprint.</summary>
    /// <param name="builder">The destination.</param>
    internal void AppendCanonical(StringBuilder builder)
    {
        builder.Append(Name).Append('|').Append(Kind).Append('|').Append(ValueKind).Append('|').Append(IsLog ? "log" : "lin");
        foreach (var number in (ReadOnlySpan<double>)[Min, Max, Mu, Sigma, Q])
        {
            builder.Append('|').Append(number.ToString("R", CultureInfo.InvariantCulture));
        }

        foreach (var choice in Choices)
        {
            builder.Append('|').Append(choice.GetType().FullName).Append(':').Append(Format(choice));
        }

        builder.Append('\n');
    }

    /// <summary>Tells whether q divides max - min, computed in decimal so that 0.1 divides 0.3.</summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="q">The quantum.</param>
    /// <returns><see langword="true"/> when (max - min) / q is a whole number.</returns>
    internal static bool QuantumDividesRange(double min, double max, double q)
    {
        if (TryDecimal(min, out var dmin) && TryDecimal(max, out var dmax) && TryDecimal(q, out var dq) && dq != 0m)
        {
            return (dmax - dmin) % dq == 0m;
        }

        var steps = (max - min) / q;
        return Math.Abs(steps - Math.Round(steps)) <= 1e-9 * Math.Max(1.0, steps);
    }

    private static bool TryDecimal(double value, out decimal result)
    {
        // Decimal conversion keeps 15 significant digits, which turns the binary 0.1 back into 0.1.
        if (double.IsFinite(value) && Math.Abs(value) < 7.9e27)
        {
            result = (decimal)value;
            return true;
        }

        result = 0m;
        return false;
    }

    private static object NormalizeChoice(object value) => value switch
    {
        null => throw new ArgumentException("A choice cannot be null."),
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (double)f,
        decimal m => (double)m,
        _ => value,
    };

    private static bool TryGetNumber(object value, out double number)
    {
        switch (value)
        {
            case double d:
                number = d;
                return true;
            case float f:
                number = f;
                return true;
            case sbyte or byte or short or ushort or int or uint or long or ulong or decimal:
                number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return true;
            default:
                number = double.NaN;
                return false;
        }
    }

    private static double AsDouble(object value) =>
        TryGetNumber(value, out var number) ? number : throw new ArgumentException($"{Format(value)} is not a number.", nameof(value));

    private static double Lerp(double from, double to, double u) => from + u * (to - from);

    private static double Interior(double u) => Math.Clamp(u, UnitEpsilon, 1.0 - UnitEpsilon);

    private static IEnumerable<long> LongRange(long start, long count)
    {
        for (var i = 0L; i < count; i++)
        {
            yield return start + i;
        }
    }

    private long GridSteps() => (long)Math.Round((Max - Min) / Q);

    private object GridValue(long step) =>
        // The casts to object matter: without them the conditional's type is double and an integral grid value boxes as a double.
        ValueKind == ParameterValueKind.Integer ? (object)(long)Math.Round(GridValueAsDouble(step)) : (object)GridValueAsDouble(step);

    // min + step * q in decimal where it fits, so that QUniform(0.1, 0.5, 0.1) gives 0.3 rather than 0.30000000000000004.
    private double GridValueAsDouble(long step) =>
        TryDecimal(Min, out var dmin) && TryDecimal(Q, out var dq) && Math.Abs(step * Q) < 7.9e27
            ? (double)(dmin + step * dq)
            : Min + step * Q;

#pragma warning disable CA1859 // Boxes a long or a double depending on the value kind; object is the point.
    private object Quantise(double x)
    {
        var steps = Math.Round(x / Q);
        var value = TryDecimal(Q, out var dq) && Math.Abs(steps * Q) < 7.9e27 ? (double)((decimal)steps * dq) : steps * Q;
        return ValueKind == ParameterValueKind.Integer ? (long)value : value;
    }
#pragma warning restore CA1859

    private int IndexOfChoice(object value)
    {
        for (var i = 0; i < Choices.Length; i++)
        {
            if (ChoiceEquals(Choices[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool ChoiceEquals(object choice, object value)
    {
        if (choice.Equals(value))
        {
            return true;
        }

        // Values that come back from text (JSON, YAML, the command line) name an enum member, or spell a number or bool.
        return choice switch
        {
            Enum when value is string name => string.Equals(choice.ToString(), name, StringComparison.Ordinal),
            long or double when TryGetNumber(value, out var number) => Convert.ToDouble(choice, CultureInfo.InvariantCulture) == number,
            _ => false,
        };
    }

    private string Allowed() => Kind switch
    {
        ParameterKind.Choice => "one of " + string.Join(", ", Choices.Select(Format)),
        ParameterKind.IntRange => $"an integer in [{Format(Min)}, {Format(Max)}]",
        ParameterKind.QUniform or ParameterKind.QLogUniform => $"a value in [{Format(Min)}, {Format(Max)}] on the grid of step {Format(Q)}",
        ParameterKind.QNormal or ParameterKind.QLogNormal => $"a multiple of {Format(Q)}",
        ParameterKind.Normal => "a finite number",
        ParameterKind.LogNormal => "a positive number",
        _ => $"a value in [{Format(Min)}, {Format(Max)}]",
    };
}
