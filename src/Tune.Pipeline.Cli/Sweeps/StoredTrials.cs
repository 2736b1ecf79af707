using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary>
/// Reads what a store holds about a sweep's trials without the experiment's compiled search space: parameter names from
/// the sweep's definition, values from each trial's parameters object, in the order and wording the verbs share.
/// </summary>
internal static class StoredTrials
{
    /// <summary>Lists the sweep's parameters as its definition describes them: name and distribution, in the search space's order.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <returns>The parameters; empty when the definition names none.</returns>
    public static IReadOnlyList<(string Name, string Distribution)> Definitions(SweepStatus sweep) =>

        // Each entry is Parameter.ToString(): "Name: Distribution(...)"; a name cannot hold ": ".
        [.. sweep.Parameters.Select(text => text.Split(": ", 2) is [var name, var distribution] ? (name, distribution) : (text, string.Empty))];

    /// <summary>
    /// Lists the parameter names to show as columns: the definition's, then any that trials hold beyond them (a store
    /// written by another version), in the order first seen.
    /// </summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> ParameterNames(SweepStatus sweep, IEnumerable<StoredTrial> trials)
    {
        var names = Definitions(sweep).Select(d => d.Name).ToList();
        var known = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var trial in trials)
        {
            foreach (var name in Values(trial).Keys)
            {
                if (known.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>Reads a trial's parameter values as stored: name to JSON value.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The values, in stored order.</returns>
    public static IReadOnlyDictionary<string, JsonElement> Values(StoredTrial trial)
    {
        using var document = JsonDocument.Parse(trial.Parameters);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.Clone();
        }

        return values;
    }

    /// <summary>Writes a parameter value exactly: integers as integers, reals in round-trip form, strings as themselves.</summary>
    /// <param name="value">The stored JSON value.</param>
    /// <returns>The text.</returns>
    public static string Exact(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number => TrialFormat.Exact(value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    /// <summary>Describes a trial's parameters for a table, as <see cref="TrialFormat.Parameters"/> words them.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The text.</returns>
    public static string ShortParameters(StoredTrial trial) => TrialFormat.Parameters(Scalars(trial));

    /// <summary>Reads a trial's parameter values as the scalars a configuration holds: integers as <see cref="long"/>, reals as <see cref="double"/>, choices as their values.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The values, in stored order.</returns>
    public static IEnumerable<KeyValuePair<string, object?>> Scalars(StoredTrial trial) =>
        Values(trial).Select(p => new KeyValuePair<string, object?>(p.Key, Scalar(p.Value)));

    /// <summary>Lists a sweep's settings as <c>tune show</c> and <c>tune report</c> name them: state, goal, seed, sampler, early stopping, budget, fingerprint, times and trial counts.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <returns>The labelled lines, in order.</returns>
    public static (string Name, string Value)[] Settings(SweepStatus sweep, IReadOnlyList<StoredTrial> trials)
    {
        var counts = string.Join(", ", Enum.GetValues<TrialState>()
            .Where(s => sweep.TrialCounts.ContainsKey(s))
            .Select(s => $"{sweep.TrialCounts[s].ToString(CultureInfo.InvariantCulture)} {TrialFormat.State(s)}"));
        return
        [
            ("state", State(sweep)),
            ("goal", sweep.Goal.ToString().ToLowerInvariant()),
            ("seed", sweep.Seed.ToString(CultureInfo.InvariantCulture)),
            ("sampler", sweep.Sampler is null ? "-" : sweep.SamplerName),
            ("early stopping", sweep.EarlyStoppingSettings ?? sweep.EarlyStoppingPolicy ?? "-"),
            ("budget", string.Create(CultureInfo.InvariantCulture, $"{Budget(sweep.MaxTrials)} trials, {Budget(sweep.MaxConcurrentTrials)} at once, {Budget(sweep.MaxRetries)} retries")),
            ("fingerprint", sweep.Fingerprint),
            ("created (UTC)", Clock(sweep.CreatedAt)),
            ("updated (UTC)", Clock(sweep.UpdatedAt)),
            ("trials", trials.Count == 0 ? "none" : $"{trials.Count.ToString(CultureInfo.InvariantCulture)}: {counts}"),
        ];
    }

    /// <summary>Describes a sweep's state: <c>open</c>, or <c>closed (StopReason)</c>.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <returns>The text.</returns>
    public static string State(SweepStatus sweep) => sweep.IsClosed ? $"closed ({sweep.StopReason})" : "open";

    /// <summary>Writes a time as ISO 8601 UTC to the millisecond the store keeps.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text, or empty for none.</returns>
    public static string Iso(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Writes a time for people: UTC to the minute, which tells sweeps apart and keeps a listing narrow.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text.</returns>
    public static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Budget(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    // A stored JSON value as the scalar a configuration holds: integers stay integers, so that they read as themselves.
    private static object? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => Exact(value),
    };
}
