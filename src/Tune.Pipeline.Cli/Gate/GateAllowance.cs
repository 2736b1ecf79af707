using System.Globalization;

namespace Tune.Pipeline.Cli.Gate;

/// <summary>Represents how much worse than the baseline a candidate may be: an amount in the objective's units, or a percentage of the baseline.</summary>
/// <param name="Amount">The amount, or the percentage when <paramref name="Relative"/>.</param>
/// <param name="Relative">Whether <paramref name="Amount"/> is a percentage of the baseline's value.</param>
internal sealed record GateAllowance(double Amount, bool Relative)
{
    /// <summary>Reads <c>0.01</c> (absolute) or <c>2%</c> (relative).</summary>
    /// <returns>The allowance, or <see langword="null"/> when the text is neither a non-negative number nor a percentage.</returns>
    public static GateAllowance? Parse(string text)
    {
        var relative = text.EndsWith('%');
        var number = relative ? text[..^1] : text;
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount) && amount >= 0
            ? new GateAllowance(amount, relative)
            : null;
    }

    /// <summary>Gets the allowed regression in the objective's units, for a baseline value.</summary>
    public double For(double baseline) => Relative ? Amount / 100 * Math.Abs(baseline) : Amount;

    /// <inheritdoc/>
    public override string ToString() => Relative
        ? string.Create(CultureInfo.InvariantCulture, $"{Amount:G6}% of the baseline")
        : string.Create(CultureInfo.InvariantCulture, $"{Amount:G6}");
}
