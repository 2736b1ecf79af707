using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

/// <summary>Prepares MLflow request bodies for <see cref="Tune.Pipeline.Testing.Snapshot"/>.</summary>
internal static class SnapshotJson
{
    // Relaxed escaping keeps the placeholders readable ("<run_id>", not "\u003Crun_id\u003E").
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Pretty-prints JSON (keeping property order) with the named properties replaced by placeholders.</summary>
    public static string Json(string json, params string[] scrubbed)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var property in scrubbed)
        {
            if (node.ContainsKey(property))
            {
                node[property] = $"<{property}>";
            }
        }

        return node.ToJsonString(Indented);
    }
}
