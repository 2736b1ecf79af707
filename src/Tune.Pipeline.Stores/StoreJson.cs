using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Stores;

/// <summary>What a store writes as JSON, serialized without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(SweepDefinition))]
[JsonSerializable(typeof(TrialEvent))]
[JsonSerializable(typeof(StepEvent))]
[JsonSerializable(typeof(SweepEvent))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

/// <summary>
/// A sweep's definition as recorded when it is created, for people and tools reading the store, and for a resume to
/// restore the sweep's settings. <see cref="Settings"/> came later: a store written before it reads <see langword="null"/>.
/// </summary>
internal sealed record SweepDefinition(
    string Name,
    string Fingerprint,
    string Goal,
    long Seed,
    int MaxTrials,
    int MaxConcurrentTrials,
    int MaxRetries,
    string Sampler,
    string EarlyStoppingPolicy,
    IReadOnlyList<string> Parameters,
    string? Settings = null)
{
    /// <summary>Gets the early-stopping policy with its settings (the policy's <c>ToString()</c>); absent from sweeps recorded before it was.</summary>
    public string? EarlyStoppingSettings { get; init; }
}

/// <summary>The outbox payload of a trial change.</summary>
internal sealed record TrialEvent(
    int Number,
    string State,
    int Attempts,
    double? Value,
    string? Error,
    long? StartedAt,
    long? EndedAt,
    JsonElement? Parameters,
    Dictionary<string, double>? Metrics,
    long? LastStep)
{
    /// <summary>Gets a value indicating whether a pending trial's attempt was interrupted by a stopped sweep (<see cref="Sweeps.Trial.IsInterrupted"/>).</summary>
    public bool Interrupted { get; init; }
}

/// <summary>The outbox payload of a step value.</summary>
internal sealed record StepEvent(int Number, long Step, double Value, long Timestamp);

/// <summary>The outbox payload of a sweep opening or closing.</summary>
internal sealed record SweepEvent(string State, string? StopReason);

/// <summary>Converts configurations to and from the stored JSON object: parameter name to value, choices as values.</summary>
internal static class ConfigurationJson
{
    public static string Write(Configuration configuration)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in configuration)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Configuration Read(SearchSpace space, string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var index = space.IndexOf(property.Name);
            values[property.Name] = index < 0 ? property.Value.GetRawText() : ReadValue(space.Parameters[index], property.Value);
        }

        return space.FromDictionary(values);
    }

    private static object? ReadValue(Parameter parameter, JsonElement element)
    {
        if (parameter.Kind == ParameterKind.Choice)
        {
            // A choice is matched by its written form, so an enum member, a long and a double that print alike stay apart.
            var raw = element.GetRawText();
            foreach (var choice in parameter.Choices)
            {
                if (string.Equals(WriteSingle(choice), raw, StringComparison.Ordinal))
                {
                    return choice;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : raw;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number when parameter.ValueKind == ParameterValueKind.Integer && element.TryGetInt64(out var integer) => integer,
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    private static string WriteSingle(object value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case double real:
                writer.WriteNumberValue(real);
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case int small:
                writer.WriteNumberValue(small);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case Enum member:
                writer.WriteStringValue(member.ToString());
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
