using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.AskTell;

/// <summary>
/// Runs the JSON-lines ask/tell protocol over one sampler: one request object per line in, one response per line out.
/// </summary>
/// <remarks>
/// Requests: <c>{"op":"ask"}</c> answers <c>{"trial":0,"params":{...}}</c>; <c>{"op":"tell","trial":0,"value":0.42}</c>
/// or <c>{"op":"tell","trial":0,"state":"failed"}</c> answers <c>{"ok":true}</c>; <c>{"op":"best"}</c> answers
/// <c>{"trial":..,"value":..,"params":{..}}</c>. Anything else answers <c>{"error":"..."}</c> and the session goes on.
/// Trial n is proposed with the seed derived from the session's seed and n, with the finished trials as history and
/// the asked but untold ones as pending, so a session is reproducible from its seed and the order of requests.
/// Requests are read with <see cref="JsonDocument"/> and responses written with <see cref="Utf8JsonWriter"/>, neither
/// of which uses reflection.
/// </remarks>
internal sealed class AskTellSession
{
    private static readonly string[] Operations = ["ask", "tell", "best"];

    private readonly SearchSpace _space;
    private readonly Goal _goal;
    private readonly ISampler _sampler;
    private readonly long _seed;
    private readonly List<Trial> _finished = [];
    private readonly SortedDictionary<int, Configuration> _pending = [];
    private int _next;

    public AskTellSession(SearchSpace space, Goal goal, ISampler sampler, long seed)
    {
        _space = space;
        _goal = goal;
        _sampler = sampler;
        _seed = seed;
    }

    /// <summary>Reads requests until the end of <paramref name="input"/>, answering each on <paramref name="output"/>.</summary>
    public async Task RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            await output.WriteLineAsync(Handle(line).AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Answers one request line.</summary>
    public string Handle(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            return Error($"The line is not valid JSON ({exception.Message}). Send one object per line, such as {{\"op\":\"ask\"}}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || opElement.ValueKind != JsonValueKind.String)
            {
                return Error("The request has no \"op\" string. Use {\"op\":\"ask\"}, {\"op\":\"tell\",...} or {\"op\":\"best\"}.");
            }

            var op = opElement.GetString()!;
            return op switch
            {
                "ask" => Ask(),
                "tell" => Tell(root),
                "best" => Best(),
                _ => Error($"Unknown op '{op}'.{Suggest(op)} Use ask, tell or best."),
            };
        }
    }

    private static string Suggest(string op) =>
        NameSuggester.Suggest(op, Operations) is { } suggestion ? $" Did you mean '{suggestion}'?" : string.Empty;

    private static string Error(string message) => Write(writer => writer.WriteString("error", message));

    // Relaxed escaping keeps quotes and apostrophes in messages readable; every response is still valid JSON.
    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteParams(Utf8JsonWriter writer, Configuration configuration)
    {
        writer.WriteStartObject("params");
        foreach (var (name, value) in configuration)
        {
            switch (value)
            {
                case double real:
                    writer.WriteNumber(name, real);
                    break;
                case long integer:
                    writer.WriteNumber(name, integer);
                    break;
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                case string text:
                    writer.WriteString(name, text);
                    break;
                default:
                    writer.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private string Ask()
    {
        var number = _next;
        var context = new SamplerContext(_space, _goal, number, SeededRandom.Derive(_seed, number), [.. _finished], [.. _pending.Values]);
        var configuration = _sampler.Suggest(context);
        if (configuration is null)
        {
            return Error("The sampler has nothing left to propose (the grid is finished).");
        }

        _next++;
        _pending[number] = configuration;
        return Write(writer =>
        {
            writer.WriteNumber("trial", number);
            WriteParams(writer, configuration);
        });
    }

    private string Tell(JsonElement request)
    {
        if (!request.TryGetProperty("trial", out var trialElement) || !trialElement.TryGetInt32(out var number))
        {
            return Error("A tell needs \"trial\", the whole number an ask returned.");
        }

        if (!_pending.TryGetValue(number, out var configuration))
        {
            return Error(number < _next
                ? $"Trial {number} was already told. Each trial takes one tell."
                : $"Trial {number} was never asked; the next trial is {_next}. Tell only trials that ask returned.");
        }

        var state = "completed";
        if (request.TryGetProperty("state", out var stateElement))
        {
            state = stateElement.ValueKind == JsonValueKind.String ? stateElement.GetString()! : string.Empty;
            if (state is not ("completed" or "failed"))
            {
                return Error($"Trial {number} has state '{state}'; use \"completed\" (with a value) or \"failed\".");
            }
        }

        Trial trial;
        if (state == "failed")
        {
            trial = new Trial(number, configuration, TrialState.Failed, null) { Seed = SeededRandom.Derive(_seed, number) };
        }
        else
        {
            if (!request.TryGetProperty("value", out var valueElement) || valueElement.ValueKind != JsonValueKind.Number || !valueElement.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return Error($"Trial {number} needs a finite number \"value\", or \"state\":\"failed\".");
            }

            trial = new Trial(number, configuration, TrialState.Completed, value) { Seed = SeededRandom.Derive(_seed, number) };
        }

        _pending.Remove(number);
        var index = _finished.FindIndex(t => t.Number > number);
        _finished.Insert(index < 0 ? _finished.Count : index, trial);
        return "{\"ok\":true}";
    }

    private string Best()
    {
        var best = _finished.Best(_goal);
        if (best is null)
        {
            return Error("No trial has completed yet. Tell a value first.");
        }

        return Write(writer =>
        {
            writer.WriteNumber("trial", best.Number);
            writer.WriteNumber("value", best.Value!.Value);
            WriteParams(writer, best.Configuration);
        });
    }
}
