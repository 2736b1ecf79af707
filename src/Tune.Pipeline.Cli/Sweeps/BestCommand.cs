using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary><c>tune best &lt;sweep&gt; [--store] [--json]</c>: the best trial's number, value and parameters.</summary>
internal static class BestCommand
{
    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var sweep = StoreAccess.CreateSweepArgument();
        var store = StoreAccess.CreateOption();
        var json = new Option<bool>("--json") { Description = "Write one JSON object for scripts: sweep, trial, value, parameters (choices as their values)." };
        var command = new Command("best", "Show a sweep's best trial: its number, objective value and parameters, exactly.") { sweep, store, json };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return StoreAccess.RunAsync(error, () => StoreAccess.ReadSweepAsync(
                parseResult.GetValue(store)!, parseResult.GetValue(sweep)!, (opened, read, trials) => BestAsync(opened, read, trials, parseResult.GetValue(json), output, error), cancellationToken));
        });
        return command;
    }

    /// <summary>Writes the best trial for people: a heading line, then one exact <c>Name = value</c> line per parameter.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="sweep">The sweep.</param>
    /// <param name="best">Its best trial.</param>
    /// <returns>A task that completes when written.</returns>
    public static async Task WriteTextAsync(TextWriter output, SweepStatus sweep, StoredTrial best)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Best trial {best.Number} of sweep '{sweep.Name}' ({sweep.Goal.ToString().ToLowerInvariant()}): {TrialFormat.Exact(best.Value!.Value)}")).ConfigureAwait(false);
        foreach (var (name, value) in StoredTrials.Values(best))
        {
            await output.WriteLineAsync($"  {name} = {StoredTrials.Exact(value)}").ConfigureAwait(false);
        }
    }

    private static async Task<int> BestAsync(SqlSweepStore store, SweepStatus sweep, IReadOnlyList<StoredTrial> trials, bool json, TextWriter output, TextWriter error)
    {
        if (TrialOrder.Best(trials, sweep.Goal, static t => t.Standing) is not { } best)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Sweep '{sweep.Name}' in {store.DisplayName} has no completed trial yet ({trials.Count} trials). `tune show {sweep.Name}` shows them.")).ConfigureAwait(false);
            return ExperimentHost.SweepFailed;
        }

        await (json ? output.WriteLineAsync(ToJson(sweep, best)) : WriteTextAsync(output, sweep, best)).ConfigureAwait(false);
        return ExperimentHost.Success;
    }

    private static string ToJson(SweepStatus sweep, StoredTrial best)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("sweep", sweep.Name);
            writer.WriteString("goal", sweep.Goal.ToString().ToLowerInvariant());
            writer.WriteNumber("trial", best.Number);
            writer.WriteNumber("value", best.Value!.Value);
            writer.WritePropertyName("parameters");

            // The stored object as written: numbers keep their exact text, choices their values.
            using (var parameters = JsonDocument.Parse(best.Parameters))
            {
                parameters.RootElement.WriteTo(writer);
            }

            writer.WriteNumber("seed", best.Seed);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
