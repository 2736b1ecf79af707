using System.Text.Json;
using Tune.Pipeline.Publishing.Wire;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents a published folder's <c>manifest.json</c> as read back: the objective's value, the parameters that produced
/// it, and the fingerprints that say what it was trained on. What <c>tune gate</c> compares.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class PublishedManifest
{
    /// <summary>The file name the publisher writes (<see cref="ArtifactPublisher.ManifestFileName"/>).</summary>
    public const string FileName = ArtifactPublisher.ManifestFileName;

    private PublishedManifest(string path, ManifestDocument document, Goal goal)
    {
        ManifestPath = path;
        Directory = System.IO.Path.GetDirectoryName(path)!;
        Experiment = document.Experiment;
        ObjectiveMetric = document.Objective.Metric;
        Goal = goal;
        Value = document.Objective.Value;
        Parameters = ParameterJson.FromJson(document.Parameters);
        SweepName = document.Sweep.Name;
        SweepSeed = document.Sweep.Seed;
        BestTrial = document.Sweep.BestTrial;
        BestTrialSeed = document.Sweep.BestTrialSeed;
        SpaceFingerprint = document.SpaceFingerprint;
        DataFingerprint = document.DataFingerprint;
        GitCommit = document.GitCommit;
        PublishedAt = document.PublishedAt;
    }

    /// <summary>Gets the full path of the manifest.</summary>
    public string ManifestPath { get; }

    /// <summary>Gets the full path of the published folder that holds it.</summary>
    public string Directory { get; }

    /// <summary>Gets the experiment's name.</summary>
    public string Experiment { get; }

    /// <summary>Gets the objective's metric name.</summary>
    public string ObjectiveMetric { get; }

    /// <summary>Gets whether the objective is maximized or minimized.</summary>
    public Goal Goal { get; }

    /// <summary>Gets the objective's value of the best trial the model was retrained from.</summary>
    public double Value { get; }

    /// <summary>Gets the model's parameters by name: strings, booleans, <see cref="long"/>s or <see cref="double"/>s, choices as their values.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>Gets the sweep's name.</summary>
    public string SweepName { get; }

    /// <summary>Gets the sweep's seed.</summary>
    public long SweepSeed { get; }

    /// <summary>Gets the best trial's number.</summary>
    public int BestTrial { get; }

    /// <summary>Gets the best trial's seed, which the retrain used.</summary>
    public long BestTrialSeed { get; }

    /// <summary>Gets the fingerprint of the search space the sweep ran on.</summary>
    public string SpaceFingerprint { get; }

    /// <summary>Gets the data fingerprint, or <see langword="null"/> when the experiment declared no data files.</summary>
    public string? DataFingerprint { get; }

    /// <summary>Gets the commit the model was published from, or <c>unknown</c>.</summary>
    public string GitCommit { get; }

    /// <summary>Gets when the folder was published (UTC).</summary>
    public DateTime PublishedAt { get; }

    /// <summary>Reads a manifest: a published folder, or its <c>manifest.json</c>.</summary>
    /// <param name="path">The folder or the file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="FileNotFoundException">Neither the file nor a folder holding <c>manifest.json</c> exists.</exception>
    /// <exception cref="InvalidDataException">The file is not a manifest; the message names the file and what is wrong.</exception>
    public static async Task<PublishedManifest> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = System.IO.Directory.Exists(path) ? System.IO.Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"'{path}' is neither a published folder with a {FileName} nor a {FileName}.", file);
        }

        var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, PublishingJsonContext.Files.ManifestDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Manifest '{file}' is not valid: {e.Message}", e);
        }

        if (document is null)
        {
            throw new InvalidDataException($"Manifest '{file}' is empty.");
        }

        if (document.SchemaVersion != 1)
        {
            throw new InvalidDataException($"Manifest '{file}' has schema version {document.SchemaVersion}; this version reads 1.");
        }

        if (!WireNames.TryParseGoal(document.Objective.Goal, out var goal))
        {
            throw new InvalidDataException($"Manifest '{file}' has goal '{document.Objective.Goal}'; use 'maximize' or 'minimize'.");
        }

        return new PublishedManifest(System.IO.Path.GetFullPath(file), document, goal);
    }
}
