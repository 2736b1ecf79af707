using System.Text.Json;

namespace Tune.Pipeline.MSBuild;

/// <summary>One file a manifest lists: its path relative to the published folder, size and SHA-256 (lower-case hex).</summary>
internal sealed record ManifestFile(string Path, long Bytes, string Sha256);

/// <summary>
/// What the tasks need of a published folder's <c>manifest.json</c>: the experiment's name and the files with their
/// sizes and SHA-256.
/// </summary>
/// <remarks>
/// Read with <see cref="JsonDocument"/> rather than through <c>Tune.Pipeline.Publishing</c>'s <c>PublishedManifest</c>: the
/// task assembly loads into MSBuild's own process and carries no assembly of ours. The shape is the one
/// <c>ArtifactPublisher</c> writes (schema version 1; docs/publishing.md).
/// </remarks>
internal sealed record ManifestFiles(string Experiment, IReadOnlyList<ManifestFile> Files)
{
    /// <summary>The manifest's file name in a published folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Reads a manifest.</summary>
    /// <param name="path">The manifest's full path.</param>
    /// <returns>Its experiment and files.</returns>
    /// <exception cref="InvalidDataException">The file is not a manifest this version reads; the message says what is wrong.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ManifestFiles Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"it is not valid JSON ({exception.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("it is not a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != 1)
            {
                throw new InvalidDataException("its schemaVersion is not 1, the version these targets read");
            }

            var experiment = Text(root, "experiment") ?? throw new InvalidDataException("it names no experiment");
            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("it has no 'files' list");
            }

            var list = new List<ManifestFile>();
            foreach (var file in files.EnumerateArray())
            {
                list.Add(ReadFile(file));
            }

            return new ManifestFiles(experiment, list);
        }
    }

    private static ManifestFile ReadFile(JsonElement file)
    {
        if (file.ValueKind != JsonValueKind.Object
            || Text(file, "path") is not { } relative
            || !file.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Number || !bytes.TryGetInt64(out var size) || size < 0
            || Text(file, "sha256") is not { Length: 64 } hash || !hash.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"its files entry {file.GetRawText()} lacks a path, bytes or a 64-digit sha256");
        }

        // A manifest names files inside its folder: a path that climbs out, or is rooted, would copy (and trust) anything.
        if (System.IO.Path.IsPathRooted(relative) || relative.Split('/', '\\').Any(segment => segment is ".." or ""))
        {
            throw new InvalidDataException($"its file path '{relative}' is not a plain path inside the published folder");
        }

        return new ManifestFile(relative, size, hash.ToLowerInvariant());
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
