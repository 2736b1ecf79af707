using System.Globalization;
using System.Text.Json;
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
        JsonValueKind.Number => Exact(value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    /// <summary>Writes a real number in round-trip form, invariant culture.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes a value for people: reals to six significant digits so that a row fits a terminal.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    public static string Short(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Describes a trial's parameters for a table: <c>Name=value, ...</c>, reals shortened.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The text.</returns>
    public static string ShortParameters(StoredTrial trial) =>
        string.Join(", ", Values(trial).Select(p => $"{p.Key}={(p.Value.ValueKind == JsonValueKind.Number && !p.Value.TryGetInt64(out _) ? Short(p.Value.GetDouble()) : Exact(p.Value))}"));

    /// <summary>Orders trials best first: completed by objective (ties to the lower number), then pruned, failed, pending and running ones by number.</summary>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether the objective is maximized.</param>
    /// <returns>The trials, best first.</returns>
    public static IEnumerable<StoredTrial> BestFirst(IEnumerable<StoredTrial> trials, Goal goal) => trials
        .OrderBy(t => Group(t.State))
        .ThenBy(t => t.State == TrialState.Completed && t.Value is { } value ? goal.ToLoss(value) : 0)
        .ThenBy(t => t.Number);

    /// <summary>Finds the best completed trial.</summary>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether the objective is maximized.</param>
    /// <returns>The best trial, or <see langword="null"/> when none has completed.</returns>
    public static StoredTrial? Best(IEnumerable<StoredTrial> trials, Goal goal) =>
        BestFirst(trials, goal).FirstOrDefault(t => t.State == TrialState.Completed && t.Value is not null);

    /// <summary>Names a state the way every verb prints it.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The lower-case name.</returns>
    public static string State(TrialState state) => state.ToString().ToLowerInvariant();

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

    /// <summary>Describes how long a trial's last attempt ran.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The duration, or <c>-</c> when it has not ended.</returns>
    public static string Duration(StoredTrial trial)
    {
        if (trial.StartedAt is not { } start || trial.EndedAt is not { } end)
        {
            return "-";
        }

        var duration = end - start < TimeSpan.Zero ? TimeSpan.Zero : end - start;
        return duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : ((int)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + duration.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);
    }

    private static int Group(TrialState state) => state switch
    {
        TrialState.Completed => 0,
        TrialState.Pruned => 1,
        TrialState.Failed => 2,
        _ => 3,
    };
}
