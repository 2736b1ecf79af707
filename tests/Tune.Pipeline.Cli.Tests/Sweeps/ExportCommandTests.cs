using System.Globalization;
using System.Text;
using System.Text.Json;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

public sealed class ExportCommandTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Fact]
    public async Task Export_Csv_ParsesBackToTheStoredTrialsBestFirst()
    {
        var trials = await store.TrialsAsync("alpha");

        var (code, output, error) = await Tune.RunAsync("export", "alpha", "--store", store.Path, "--format", "csv");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var rows = ParseCsv(output);
        Assert.Equal(["number", "state", "value", "Rate", "Depth", "Kernel", "seed", "attempts", "started_at", "ended_at", "error", "interrupted"], rows[0]);
        Assert.Equal(trials.Count, rows.Count - 1);
        foreach (var (trial, row) in trials.BestFirst(Goal.Minimize).Zip(rows.Skip(1)))
        {
            Assert.Equal(trial.Number, int.Parse(row[0], CultureInfo.InvariantCulture));
            Assert.Equal(trial.State, Enum.Parse<TrialState>(row[1], ignoreCase: true));
            Assert.Equal(trial.Value, row[2].Length == 0 ? null : double.Parse(row[2], CultureInfo.InvariantCulture));
            Assert.Equal(trial.Configuration.GetDouble("Rate"), double.Parse(row[3], CultureInfo.InvariantCulture));
            Assert.Equal(trial.Configuration.GetInt64("Depth"), long.Parse(row[4], CultureInfo.InvariantCulture));
            Assert.Equal(trial.Configuration["Kernel"], row[5]);
            Assert.Equal((trial.Seed, trial.Attempts), (long.Parse(row[6], CultureInfo.InvariantCulture), int.Parse(row[7], CultureInfo.InvariantCulture)));
            Assert.Equal(trial.StartedAt, DateTimeOffset.Parse(row[8], CultureInfo.InvariantCulture));
            Assert.Equal(trial.EndedAt, DateTimeOffset.Parse(row[9], CultureInfo.InvariantCulture));
            Assert.Equal(trial.Error ?? string.Empty, row[10]);
        }

        // The data must hold what needs quoting, or the round trip above proves nothing about it.
        Assert.Contains(trials, t => t.Error is { } e && e.Contains(',', StringComparison.Ordinal) && e.Contains('"', StringComparison.Ordinal) && e.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(trials, t => ((string)t.Configuration["Kernel"]).Contains(',', StringComparison.Ordinal) || ((string)t.Configuration["Kernel"]).Contains('"', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_JsonToFile_ParsesBackToTheStoredTrialsBestFirst()
    {
        var trials = await store.TrialsAsync("alpha");
        var file = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}.json");

        try
        {
            var (code, output, _) = await Tune.RunAsync("export", "alpha", "--store", store.Path, "--format", "json", "--output", file);

            Assert.Equal(0, code);
            Assert.Contains($"Wrote {trials.Count} trials of sweep 'alpha' to {file}.", output, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal(["Rate", "Depth", "Kernel"], json.RootElement.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()));
            var exported = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
            Assert.Equal(trials.Count, exported.Count);
            foreach (var (trial, item) in trials.BestFirst(Goal.Minimize).Zip(exported))
            {
                Assert.Equal(trial.Number, item.GetProperty("number").GetInt32());
                Assert.Equal(trial.State, Enum.Parse<TrialState>(item.GetProperty("state").GetString()!, ignoreCase: true));
                Assert.Equal(trial.Value, item.GetProperty("value").ValueKind == JsonValueKind.Null ? null : item.GetProperty("value").GetDouble());
                var parameters = item.GetProperty("parameters");
                Assert.Equal(trial.Configuration.GetDouble("Rate"), parameters.GetProperty("Rate").GetDouble());
                Assert.Equal(trial.Configuration.GetInt64("Depth"), parameters.GetProperty("Depth").GetInt64());
                Assert.Equal(trial.Configuration["Kernel"], parameters.GetProperty("Kernel").GetString());
                Assert.Equal(trial.EndedAt, DateTimeOffset.Parse(item.GetProperty("endedAt").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal(trial.Error, item.GetProperty("error").GetString());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Export_UnknownFormat_ExitsTwoNamingTheChoices()
    {
        var (code, output, error) = await Tune.RunAsync("export", "alpha", "--store", store.Path, "--format", "xml");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("'xml'", error, StringComparison.Ordinal);
        Assert.Contains("csv", error, StringComparison.Ordinal);
    }

    // RFC 4180: fields split by commas, records by CRLF; a quoted field may hold both, with quotes doubled.
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.True(field.Length == 0 && row.Count == 0, "The CSV must end with CRLF.");
        return rows;
    }
}
