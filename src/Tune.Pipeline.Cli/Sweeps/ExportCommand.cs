using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary>
/// <c>tune export &lt;sweep&gt; [--store] --format csv|json [--steps] [--output FILE]</c>: every trial of a sweep, each
/// parameter in a column (CSV) or field (JSON) of its own; with <c>--steps</c>, every step the trials reported instead, one
/// row per step (long format).
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] FixedColumns = ["number", "state", "value"];
    private static readonly string[] TrailingColumns = ["seed", "attempts", "started_at", "ended_at", "error", "interrupted"];
    private static readonly string[] StepColumns = ["number", "state", "step", "value"];

    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var sweep = StoreAccess.CreateSweepArgument();
        var store = StoreAccess.CreateOption();
        var format = new Option<string>("--format") { Description = "csv (RFC 4180) or json.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var file = new Option<string?>("--output", "-o") { Description = "The file to write; standard output when left out." };
        var steps = new Option<bool>("--steps") { Description = "Export every step the trials reported instead, one row per step (long format): number, state, step, value; trials best first, steps in order." };
        var command = new Command("export", "Export every trial of a sweep, best first: number, state, value, each parameter, seed, attempts, start and end (ISO 8601 UTC), error, whether interrupted.")
        {
            sweep, store, format, steps, file,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, () => StoreAccess.ReadSweepAsync(
                parseResult.GetValue(store)!,
                parseResult.GetValue(sweep)!,
                async (open, read, trials) =>
                {
                    var json = parseResult.GetValue(format) == "json";
                    if (!parseResult.GetValue(steps))
                    {
                        return await ExportAsync(read, json ? ToJson(read, trials) : ToCsv(read, trials), $"{trials.Count} trials", parseResult.GetValue(file), output, cancellationToken).ConfigureAwait(false);
                    }

                    var reported = await open.GetStoredStepsAsync(read.Name, cancellationToken).ConfigureAwait(false);
                    var text = json ? StepsToJson(read, trials, reported) : StepsToCsv(read, trials, reported);
                    return await ExportAsync(read, text, $"{reported.Values.Sum(s => s.Length)} steps", parseResult.GetValue(file), output, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken));
        });
        return command;
    }

    /// <summary>Writes trials as CSV, best first (<see cref="TrialOrder"/>): a heading row, then one row per trial, CRLF line ends, fields quoted where RFC 4180 asks.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <returns>The CSV text.</returns>
    public static string ToCsv(SweepStatus sweep, IReadOnlyList<StoredTrial> trials)
    {
        var parameters = StoredTrials.ParameterNames(sweep, trials);
        var text = new StringBuilder();
        AppendRow(text, [.. FixedColumns, .. parameters, .. TrailingColumns]);
        foreach (var trial in TrialOrder.BestFirst(trials, sweep.Goal, static t => t.Standing))
        {
            var values = StoredTrials.Values(trial);
            AppendRow(text,
            [
                trial.Number.ToString(CultureInfo.InvariantCulture),
                TrialFormat.State(trial.State),
                trial.Value is { } value ? TrialFormat.Exact(value) : string.Empty,
                .. parameters.Select(p => values.TryGetValue(p, out var v) ? StoredTrials.Exact(v) : string.Empty),
                trial.Seed.ToString(CultureInfo.InvariantCulture),
                trial.Attempts.ToString(CultureInfo.InvariantCulture),
                StoredTrials.Iso(trial.StartedAt),
                StoredTrials.Iso(trial.EndedAt),
                trial.Error ?? string.Empty,
                trial.IsInterrupted ? "true" : "false",
            ]);
        }

        return text.ToString();
    }

    /// <summary>Writes trials as one JSON object: the sweep's name, goal and parameter names, and its trials best first (<see cref="TrialOrder"/>).</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <returns>The JSON text, indented.</returns>
    public static string ToJson(SweepStatus sweep, IReadOnlyList<StoredTrial> trials)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("sweep", sweep.Name);
            writer.WriteString("goal", sweep.Goal.ToString().ToLowerInvariant());
            writer.WriteStartArray("parameters");
            foreach (var name in StoredTrials.ParameterNames(sweep, trials))
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("trials");
            foreach (var trial in TrialOrder.BestFirst(trials, sweep.Goal, static t => t.Standing))
            {
                writer.WriteStartObject();
                writer.WriteNumber("number", trial.Number);
                writer.WriteString("state", TrialFormat.State(trial.State));
                if (trial.Value is { } value)
                {
                    writer.WriteNumber("value", value);
                }
                else
                {
                    writer.WriteNull("value");
                }

                writer.WriteStartObject("parameters");
                foreach (var (name, parameter) in StoredTrials.Values(trial))
                {
                    writer.WritePropertyName(name);
                    parameter.WriteTo(writer);
                }

                writer.WriteEndObject();
                writer.WriteNumber("seed", trial.Seed);
                writer.WriteNumber("attempts", trial.Attempts);
                WriteStringOrNull(writer, "startedAt", trial.StartedAt is null ? null : StoredTrials.Iso(trial.StartedAt));
                WriteStringOrNull(writer, "endedAt", trial.EndedAt is null ? null : StoredTrials.Iso(trial.EndedAt));
                WriteStringOrNull(writer, "error", trial.Error);
                writer.WriteBoolean("interrupted", trial.IsInterrupted);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Writes every step as CSV in long format: a heading row (<c>number,state,step,value</c>), then one row per step;
    /// trials best first (<see cref="TrialOrder"/>), each trial's steps in step order; trials without steps have no row.
    /// </summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <param name="steps">The steps each trial reported (<see cref="SqlSweepStore.GetStoredStepsAsync"/>).</param>
    /// <returns>The CSV text.</returns>
    public static string StepsToCsv(SweepStatus sweep, IReadOnlyList<StoredTrial> trials, IReadOnlyDictionary<int, ImmutableArray<StepValue>> steps)
    {
        var text = new StringBuilder();
        AppendRow(text, StepColumns);
        foreach (var (trial, step) in StepRows(sweep, trials, steps))
        {
            AppendRow(text,
            [
                trial.Number.ToString(CultureInfo.InvariantCulture),
                TrialFormat.State(trial.State),
                step.Step.ToString(CultureInfo.InvariantCulture),
                TrialFormat.Exact(step.Value),
            ]);
        }

        return text.ToString();
    }

    /// <summary>Writes every step as one JSON object: the sweep's name and goal, and <c>steps</c>, one object per step in the order of <see cref="StepsToCsv"/>.</summary>
    /// <param name="sweep">The sweep.</param>
    /// <param name="trials">Its trials.</param>
    /// <param name="steps">The steps each trial reported.</param>
    /// <returns>The JSON text, indented.</returns>
    public static string StepsToJson(SweepStatus sweep, IReadOnlyList<StoredTrial> trials, IReadOnlyDictionary<int, ImmutableArray<StepValue>> steps)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("sweep", sweep.Name);
            writer.WriteString("goal", sweep.Goal.ToString().ToLowerInvariant());
            writer.WriteStartArray("steps");
            foreach (var (trial, step) in StepRows(sweep, trials, steps))
            {
                writer.WriteStartObject();
                writer.WriteNumber("number", trial.Number);
                writer.WriteString("state", TrialFormat.State(trial.State));
                writer.WriteNumber("step", step.Step);
                writer.WriteNumber("value", step.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // One order for both step formats: the trials' one order, then each trial's steps as reported.
    private static IEnumerable<(StoredTrial Trial, StepValue Step)> StepRows(SweepStatus sweep, IReadOnlyList<StoredTrial> trials, IReadOnlyDictionary<int, ImmutableArray<StepValue>> steps) =>
        TrialOrder.BestFirst(trials, sweep.Goal, static t => t.Standing)
            .SelectMany(trial => (steps.TryGetValue(trial.Number, out var reported) ? reported : []).Select(step => (trial, step)));

    private static async Task<int> ExportAsync(SweepStatus sweep, string text, string what, string? file, TextWriter output, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            await output.WriteAsync(text).ConfigureAwait(false);
            return ExperimentHost.Success;
        }

        var path = Path.GetFullPath(file);
        await StoreAccess.WriteOutputAsync(path, "export", () => File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken)).ConfigureAwait(false);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {what} of sweep '{sweep.Name}' to {path}.")).ConfigureAwait(false);
        return ExperimentHost.Success;
    }

    private static void AppendRow(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
    }

    // RFC 4180: a field holding a comma, a quote or a line break is quoted, with its quotes doubled.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
