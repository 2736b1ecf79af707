using System.Globalization;
using System.Text.RegularExpressions;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// The limits an MLflow tracking server enforces (../shared/MLFLOW.md), checked before anything is sent.
/// </summary>
internal static partial class MLflowLimits
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;

    // MLflow's MAX_BATCH_LOG_REQUEST_SIZE is 1e6 bytes; a request stays strictly below it.
    public const int MaxBatchBytes = 1_000_000 - 1;

    public const int MaxSearchResults = 50_000;

    /// <summary>
    /// Checks a metric, param or tag key as MLflow does: at most 250 characters of <c>[/\w.\- ]</c>, and a path that
    /// normalises to itself (no <c>..</c>, no <c>.</c> segment, no leading, trailing or doubled <c>/</c>).
    /// </summary>
    public static string? CheckKey(string kind, string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return $"A {kind} key is empty. Give every {kind} a name.";
        }

        if (key.Length > MaxKeyLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Capitalize(kind)} key '{key[..40]}...' has {key.Length} characters; MLflow allows {MaxKeyLength}. Shorten it.");
        }

        if (!KeyCharacters().IsMatch(key))
        {
            return $"{Capitalize(kind)} key '{key}' has characters MLflow refuses; keys may hold letters, digits, '_', '-', '.', ' ' and '/'. Replace the others.";
        }

        var segments = key.Split('/');
        if (key.StartsWith('/') || key.EndsWith('/') || segments.Any(static s => s.Length == 0 || s is "." or ".."))
        {
            return $"{Capitalize(kind)} key '{key}' is not a normalised relative path (no leading, trailing or doubled '/', no '.' or '..' segment). Rename it.";
        }

        return null;
    }

    /// <summary>Cuts a value to at most <paramref name="length"/> UTF-16 units without splitting a surrogate pair.</summary>
    public static string Truncate(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        return char.IsHighSurrogate(value[length - 1]) ? value[..(length - 1)] : value[..length];
    }

    private static string Capitalize(string kind) => string.Concat(kind[..1].ToUpperInvariant(), kind[1..]);

    [GeneratedRegex(@"^[/\w.\- ]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyCharacters();
}
