using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Publishing.Wire;

/// <summary>
/// Converts configurations to JSON objects and back. Choices are written as their values (an enum member by its
/// name), never as indexes; <see cref="SearchSpace.FromDictionary"/> matches them again on the way back.
/// </summary>
internal static class ParameterJson
{
    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, object>> configuration)
    {
        var json = new JsonObject();
        foreach (var (name, value) in configuration)
        {
            json[name] = ToNode(value);
        }

        return json;
    }

    public static JsonNode ToNode(object value) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        Enum e => JsonValue.Create(e.ToString()),
        IFormattable f => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString() ?? string.Empty),
    };

    /// <summary>Reads a JSON object of parameter values as strings, booleans, <see cref="long"/>s (whole numbers) or <see cref="double"/>s.</summary>
    public static Dictionary<string, object?> FromJson(JsonObject json)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, node) in json)
        {
            values[name] = FromNode(node);
        }

        return values;
    }

    private static object? FromNode(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return node?.ToJsonString();
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var whole) => whole,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        };
    }
}
