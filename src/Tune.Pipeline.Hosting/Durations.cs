using System.Globalization;
using System.Text.RegularExpressions;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Parses the durations of command lines and sweep files: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>,
/// combinations such as <c>1h30m</c>, decimals such as <c>1.5h</c>, and clock times such as <c>01:30:00</c>; positive
/// and at most <see cref="Limit"/>.
/// </summary>
internal static partial class Durations
{
    /// <summary>What a duration looks like, for messages.</summary>
    public const string Expected = "a positive duration such as 500ms, 90s, 15m, 2h, 1h30m or 01:30:00";

    /// <summary>Gets the longest duration accepted: <see cref="SweepOptions.DurationLimit"/>, which timers impose.</summary>
    public static TimeSpan Limit => SweepOptions.DurationLimit;

    /// <summary>Parses a duration given on the command line.</summary>
    /// <param name="text">The text.</param>
    /// <param name="option">The option's name, for the message (<c>--lease-timeout</c>); <see langword="null"/> to show the value alone.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="UsageException">The text is not a positive duration within the limit.</exception>
    public static TimeSpan Parse(string text, string? option = null) =>
        TryParse(text, out var duration)
            ? duration
            : throw new UsageException($"{option ?? "The duration"} {Shown.Value(text)} is not {Expected}, of at most {Limit.TotalDays:0} days.");

    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration, when the text is one.</param>
    /// <returns><see langword="true"/> when the text is a positive duration of at most <see cref="Limit"/>.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var value = text?.Trim() ?? string.Empty;
        double seconds;
        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var clock))
            {
                return false;
            }

            seconds = clock.TotalSeconds;
        }
        else
        {
            var match = Pattern().Match(value);
            if (!match.Success)
            {
                return false;
            }

            // In doubles, so that 99999999999h is refused as too long instead of overflowing TimeSpan.
            seconds = 0;
            for (var i = 0; i < match.Groups["number"].Captures.Count; i++)
            {
                var number = double.Parse(match.Groups["number"].Captures[i].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                seconds += number * match.Groups["unit"].Captures[i].Value switch
                {
                    "ms" => 0.001,
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    _ => 86400,
                };
            }
        }

        if (!(seconds > 0) || seconds > Limit.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?:(?<number>[0-9]{1,20}(?:\.[0-9]{1,9})?)(?<unit>ms|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
