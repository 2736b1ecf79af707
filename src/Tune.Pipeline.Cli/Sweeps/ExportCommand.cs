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
/// <c>tune export &lt;sweep&gt; [--store] --format csv|json [--output FILE]</c>: every trial of a sweep, each parameter in
/// a column (CSV) or field (JSON) of its own.
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] FixedColumns = ["number", "state", "value"];
    private static readonly string[] TrailingColumns = ["seed", "attempts", "started_at", "ended_at", "error", "interrupted"];

    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var sweep = StoreAccess.CreateSweepArgument();
        var store = StoreAccess.CreateOption();
        var format = new Option<string>("--format") { Description = "csv (RFC 4180) or json.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var file = new Option<string?>("--output", "-o") { Description = "The file to write; standard output when left out." };
        var command = new Command("export", "Export every trial of a sweep, best first: number, state, value, each parameter, seed, attempts, start and end (ISO 8601 UTC), error, whether interrupted.")
        {
            sweep, store, format, file,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, () => StoreAccess.ReadSweepAsync(
                parseResult.GetValue(store)!,
                parseResult.GetValue(sweep)!,
                (_, read, trials) => ExportAsync(read, trials, parseResult.GetValue(format)!, parseResult.GetValue(file), output, cancellationToken),
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

    private static async Task<int> ExportAsync(SweepStatus sweep, IReadOnlyList<StoredTrial> trials, string format, string? file, TextWriter output, CancellationToken cancellationToken)
    {
        var text = format == "json" ? ToJson(sweep, trials) : ToCsv(sweep, trials);
        if (file is null)
        {
            await output.WriteAsync(text).ConfigureAwait(false);
            return ExperimentHost.Success;
        }

        var path = Path.GetFullPath(file);
        try
        {
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write the export to '{path}': {exception.Message} Pass another --output.");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {trials.Count} trials of sweep '{sweep.Name}' to {path}.")).ConfigureAwait(false);
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
