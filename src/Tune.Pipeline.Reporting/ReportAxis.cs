using System.Globalization;

namespace Tune.Pipeline.Reporting;

/// <summary>
/// Maps values onto an axis of the report's charts, as a fraction from 0 (low end) to 1 (high end): linearly, by
/// powers of ten for log-scaled parameters, or one evenly spaced place per category, and names the ticks to draw.
/// </summary>
internal sealed class ReportAxis
{
    private readonly ReportScale _scale;
    private readonly double _low;
    private readonly double _high;
    private readonly IReadOnlyList<string> _categories;

    private ReportAxis(ReportScale scale, double low, double high, IReadOnlyList<string> categories)
    {
        _scale = scale;
        _low = low;
        _high = high;
        _categories = categories;
    }

    /// <summary>Gets the categories, in axis order; empty unless the scale is <see cref="ReportScale.Category"/>.</summary>
    public IReadOnlyList<string> Categories => _categories;

    /// <summary>Creates an axis that spans the given values.</summary>
    /// <param name="scale">The scale.</param>
    /// <param name="values">The values drawn on it; null ones are ignored.</param>
    /// <returns>The axis.</returns>
    public static ReportAxis For(ReportScale scale, IEnumerable<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (scale == ReportScale.Category)
        {
            return new(scale, 0, 1, [.. present.Select(Text).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        }

        var numbers = present.Select(Number).Where(double.IsFinite).ToList();

        // A log axis cannot hold zero or less; such a value (a store written by hand) falls back to a linear axis.
        if (scale == ReportScale.Log && (numbers.Count == 0 || numbers.Min() <= 0))
        {
            scale = ReportScale.Linear;
        }

        var transformed = numbers.Select(n => scale == ReportScale.Log ? Math.Log10(n) : n).ToList();
        var (low, high) = transformed.Count == 0 ? (0d, 1d) : (transformed.Min(), transformed.Max());
        if (low == high)
        {
            // One distinct value: give the axis some span so that it sits in the middle.
            var pad = low == 0 ? 1 : Math.Abs(low) * 0.1;
            (low, high) = (low - pad, high + pad);
        }

        return new(scale, low, high, []);
    }

    /// <summary>Places a value on the axis.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fraction from the low end, or <see langword="null"/> for a value the axis does not hold.</returns>
    public double? Place(object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_scale == ReportScale.Category)
        {
            var index = _categories.ToList().IndexOf(Text(value));
            return index < 0 ? null : (index + 0.5) / _categories.Count;
        }

        var number = Number(value);
        if (!double.IsFinite(number) || (_scale == ReportScale.Log && number <= 0))
        {
            return null;
        }

        return ((_scale == ReportScale.Log ? Math.Log10(number) : number) - _low) / (_high - _low);
    }

    /// <summary>Names the ticks to draw: each category; powers of ten on a log axis (the ends where it spans less than one); five even steps otherwise.</summary>
    /// <returns>Each tick's place and label.</returns>
    public IReadOnlyList<(double Place, string Label)> Ticks()
    {
        if (_scale == ReportScale.Category)
        {
            return [.. _categories.Select((c, i) => ((i + 0.5) / _categories.Count, c))];
        }

        if (_scale == ReportScale.Log)
        {
            var powers = Enumerable.Range((int)Math.Ceiling(_low), Math.Max(0, (int)Math.Floor(_high) - (int)Math.Ceiling(_low) + 1))
                .Select(p => ((p - _low) / (_high - _low), TrialFormat.Value(Math.Pow(10, p))))
                .ToList();
            return powers.Count >= 2 ? powers : [(0, TrialFormat.Value(Math.Pow(10, _low))), (1, TrialFormat.Value(Math.Pow(10, _high)))];
        }

        return [.. Enumerable.Range(0, 5).Select(i => (i / 4.0, (_low + ((_high - _low) * i / 4.0)).ToString("G4", CultureInfo.InvariantCulture)))];
    }

    /// <summary>Reads a parameter value as a number: reals and integers as themselves, <see langword="true"/> as 1.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number, or <see cref="double.NaN"/> for text.</returns>
    public static double Number(object? value) => value switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        IConvertible c when value is not string => c.ToDouble(CultureInfo.InvariantCulture),
        _ => double.NaN,
    };

    /// <summary>Writes a value as the category it is on a category axis.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Text(object? value) => TrialFormat.Parameter(value);
}
