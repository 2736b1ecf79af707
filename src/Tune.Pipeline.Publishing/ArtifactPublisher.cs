using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Tune.Pipeline.Publishing.Wire;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Publishes a finished sweep's best model to <c>artifacts/&lt;experiment&gt;/</c>: the model files its retraining
/// staged, <c>manifest.json</c> (objective, parameters, sweep, seed, fingerprints, commit, time, tool version) and
/// <c>sweep.lock.json</c> (every trial, for replay).
/// </summary>
/// <remarks>
/// The folder is assembled beside its destination and then moved into place, replacing an earlier one, so a reader
/// never sees a folder with a new model and an old manifest. Thread-safe; publishing the same experiment twice at
/// once is not supported.
/// </remarks>
public sealed class ArtifactPublisher
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="ArtifactPublisher"/> class.</summary>
    /// <param name="timeProvider">The clock for the manifest's time; defaults to <see cref="TimeProvider.System"/>.</param>
    public ArtifactPublisher(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Publishes the request's best trial.</summary>
    /// <param name="request">What to publish.</param>
    /// <param name="cancellationToken">Cancels the publish; the destination is then left as it was.</param>
    /// <returns>The published folder and its files.</returns>
    /// <exception cref="ArgumentException">The experiment name cannot be a folder name.</exception>
    /// <exception cref="InvalidOperationException">The sweep has no completed trial, the model folder holds a file the publisher writes, or the destination exists without a manifest (it is not a published folder).</exception>
    /// <exception cref="DirectoryNotFoundException">The model folder does not exist.</exception>
    public async Task<PublishedArtifacts> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateExperimentName(request.Experiment);
        var best = request.Result.BestTrial
            ?? throw new InvalidOperationException($"Sweep '{request.Result.SweepName}' of experiment '{request.Experiment}' has no completed trial, so there is no model to publish. Look at the failed trials' errors, fix them and sweep again.");

        var root = Path.GetFullPath(request.ArtifactsRoot);
        var destination = Path.Combine(root, request.Experiment);

        // artifacts/ also holds build output (bin/, obj/) and tools: only a folder this publisher wrote may be replaced.
        if (Directory.Exists(destination) && !File.Exists(Path.Combine(destination, ManifestFileName)))
        {
            throw new InvalidOperationException($"'{destination}' exists but holds no {ManifestFileName}, so it was not published by Tune.Pipeline; it is left alone. Move it away, or publish to another ArtifactsRoot.");
        }

        var staging = Path.Combine(root, $".{request.Experiment}.{Guid.NewGuid():N}.publishing");
        Directory.CreateDirectory(staging);
        try
        {
            var files = await CopyModelAsync(request.ModelDirectory, staging, cancellationToken).ConfigureAwait(false);
            var commit = request.GitCommit ?? GitCommit.Read(request.RepositoryDirectory ?? Directory.GetCurrentDirectory());

            var sweepLock = SweepLock.Create(request.Experiment, request.Space, request.Seed, request.SamplerName, request.Goal, request.Result, request.MaxConcurrentTrials, request.WarmStartTrials);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(staging, SweepLock.FileName), sweepLock.ToJsonBytes(), cancellationToken).ConfigureAwait(false);

            var manifest = new ManifestDocument
            {
                Experiment = request.Experiment,
                Objective = new ObjectiveDocument { Metric = request.ObjectiveMetric, Goal = WireNames.Of(request.Goal), Value = best.Value!.Value },
                Parameters = ParameterJson.ToJson(best.Configuration),
                Sweep = new ManifestSweepDocument
                {
                    Name = request.Result.SweepName,
                    Seed = request.Seed,
                    BestTrial = best.Number,
                    BestTrialSeed = best.Seed,
                    Trials = request.Result.Trials.Length,
                    StopReason = WireNames.Of(request.Result.StopReason),
                },
                SpaceFingerprint = request.Space.Fingerprint,
                GitCommit = commit,
                DataFingerprint = request.DataFingerprint,
                PublishedAt = _timeProvider.GetUtcNow().UtcDateTime,
                ToolVersion = request.ToolVersion ?? DefaultToolVersion(),
                Files = [.. files],
            };
            var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, PublishingJsonContext.Files.ManifestDocument);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(staging, ManifestFileName), manifestBytes, cancellationToken).ConfigureAwait(false);

            cancellationToken.ThrowIfCancellationRequested();
            Replace(staging, destination);
            return new PublishedArtifacts(
                destination,
                Path.Combine(destination, ManifestFileName),
                Path.Combine(destination, SweepLock.FileName),
                [.. files.Select(f => f.Path)],
                commit);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void ValidateExperimentName(string experiment)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        if (experiment is "." or ".." || experiment.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || experiment.Contains('/', StringComparison.Ordinal) || experiment.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Experiment name '{experiment}' cannot be used as a folder name under artifacts/. Use letters, digits and dashes.", nameof(experiment));
        }
    }

    private static async Task<List<FileDocument>> CopyModelAsync(string? modelDirectory, string staging, CancellationToken cancellationToken)
    {
        var files = new List<FileDocument>();
        if (modelDirectory is null)
        {
            return files;
        }

        var source = Path.GetFullPath(modelDirectory);
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The model folder '{source}' does not exist. The experiment's RetrainAsync writes the model into ExperimentContext.ArtifactsDirectory; pass that folder.");
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (relative is ManifestFileName or SweepLock.FileName)
            {
                throw new InvalidOperationException($"The model folder '{source}' holds '{relative}', which the publisher writes itself. Have RetrainAsync save the model under another name.");
            }

            var target = Path.Combine(staging, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var input = File.OpenRead(file);
            await using (input.ConfigureAwait(false))
            {
                var output = File.Create(target);
                await using (output.ConfigureAwait(false))
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }

                    files.Add(new FileDocument { Path = relative, Bytes = output.Length, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) });
                }
            }
        }

        return files;
    }

    private static void Replace(string staging, string destination)
    {
        if (!Directory.Exists(destination))
        {
            Directory.Move(staging, destination);
            return;
        }

        // Two renames: the old folder steps aside, the new one takes its name, and only then is the old one deleted.
        // If the second rename fails the old folder is put back, so a failed publish never loses the last good model.
        var previous = destination + $".{Guid.NewGuid():N}.previous";
        Directory.Move(destination, previous);
        try
        {
            Directory.Move(staging, destination);
        }
        catch
        {
            Directory.Move(previous, destination);
            throw;
        }

        Directory.Delete(previous, recursive: true);
    }

    private static string DefaultToolVersion() =>
        typeof(ArtifactPublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ArtifactPublisher).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
