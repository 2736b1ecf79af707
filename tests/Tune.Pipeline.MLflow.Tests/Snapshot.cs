using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.json</c>; on a mismatch writes
/// <c>{name}.received.json</c> beside it and fails. <c>TUNE_ACCEPT_SNAPSHOTS=1</c> accepts the received text.
/// </summary>
internal static class Snapshot
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

    public static void Match(string actual, string name)
    {
        var folder = Path.Combine(FindRepositoryRoot(), "tests", "Tune.Pipeline.MLflow.Tests", "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.json");
        var received = Path.Combine(folder, name + ".received.json");
        var text = actual.ReplaceLineEndings("\n").TrimEnd() + "\n";

        if (File.Exists(verified) && File.ReadAllText(verified).ReplaceLineEndings("\n") == text)
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable("TUNE_ACCEPT_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(received, text);
        Assert.Fail($"Snapshot '{name}' differs from {verified}; the new text is in {received}. Compare them, and accept it with TUNE_ACCEPT_SNAPSHOTS=1 if it is right.");
    }

    // Deterministic CI builds map source paths, so [CallerFilePath] cannot be trusted; walk up from the output instead.
    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tune.Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tune.Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}
