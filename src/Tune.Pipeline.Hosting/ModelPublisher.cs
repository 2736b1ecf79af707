using System.Globalization;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>What a publish needs: the swept space, the sweep's outcome and its best trial.</summary>
/// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
internal sealed record ModelToPublish<TParameters>(SearchSpace<TParameters> Space, SweepResult Result, Trial Best, long Seed, Goal Goal, string SamplerName, int? MaxConcurrentTrials)
    where TParameters : class
{
    /// <summary>Gets the earlier trials the sampler was warm-started with, for the lock file.</summary>
    public IReadOnlyList<Trial> WarmStartTrials { get; init; } = [];
}

/// <summary>
/// Retrains a sweep's best configuration on all data in this process and publishes the model with its manifest, lock
/// file and report under <c>&lt;artifacts&gt;/&lt;experiment&gt;/</c>, then uploads that folder when asked. The one
/// publisher of the <c>sweep</c> and <c>retrain</c> verbs.
/// </summary>
/// <typeparam name="TExperiment">The experiment.</typeparam>
/// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
internal sealed class ModelPublisher<TExperiment, TParameters>
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    /// <summary>The package that uploads to Azure Blob Storage; an experiment references it only when it uploads.</summary>
    private const string AzurePackage = "Tune.Pipeline.Azure";

    private readonly HostedExperiment<TExperiment, TParameters> _host;
    private readonly string _artifacts;
    private readonly int _threads;
    private readonly IArtifactUploader? _upload;

    private ModelPublisher(HostedExperiment<TExperiment, TParameters> host, string artifacts, int threads, IArtifactUploader? upload)
    {
        _host = host;
        _artifacts = artifacts;
        _threads = threads;
        _upload = upload;
    }

    /// <summary>
    /// Creates the publisher, checking the Azure settings first: a publish that cannot upload must be refused before a
    /// sweep, not after it.
    /// </summary>
    /// <exception cref="UsageException">
    /// The Azure settings are not usable (a missing variable, say; the message names no secret), or the executable lacks
    /// the Tune.Pipeline.Azure package.
    /// </exception>
    public static ModelPublisher<TExperiment, TParameters> Create(HostedExperiment<TExperiment, TParameters> host, SweepSettings settings)
    {
        IArtifactUploader? upload = null;
        if (settings.Azure is { } target)
        {
            var provider = OptionalPackages.Load<ArtifactUploaderProviderAttribute, IArtifactUploaderProvider>(AzurePackage, a => a.ProviderType)
                ?? throw new UsageException($"--azure-container or the sweep file's publish.azure asks for an upload to Azure Blob Storage, which needs the {AzurePackage} package: {OptionalPackages.HowToAdd(AzurePackage)}.");
            try
            {
                upload = provider.Create(new ArtifactUploaderOptions
                {
                    Container = target.Container,
                    Prefix = target.Prefix,
                    CredentialVariable = target.CredentialVariable,
                    ServiceUri = target.ServiceUri,
                });
            }
            catch (ArgumentException exception)
            {
                throw new UsageException($"The Azure upload settings are not usable: {exception.Message}");
            }
        }

        return new ModelPublisher<TExperiment, TParameters>(host, settings.Artifacts, settings.ThreadsPerTrial, upload);
    }

    public async Task<PublishedArtifacts> PublishAsync(ModelToPublish<TParameters> model, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateTempSubdirectory("tune-retrain-");
        try
        {
            // The best trial's own seed, so that the retrained model draws what the trial drew.
            var context = new ExperimentContext { Seed = model.Best.Seed, Threads = _threads, ArtifactsDirectory = staging.FullName };
            var experiment = new TExperiment();
            try
            {
                await experiment.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
                await experiment.RetrainAsync(model.Space.ToParameters(model.Best.Configuration), context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await HostedExperiment<TExperiment, TParameters>.ReleaseAsync(experiment).ConfigureAwait(false);
            }

            var dataFiles = _host.Options.DataFiles;
            var dataFingerprint = dataFiles.Count > 0 ? await DataFingerprint.OfFilesAsync(dataFiles, cancellationToken).ConfigureAwait(false) : null;
            var identity = _host.Identity;
            var request = new PublishRequest
            {
                Experiment = identity.Name,
                ObjectiveMetric = identity.ObjectiveMetric,
                Space = model.Space,
                Result = model.Result,
                Seed = model.Seed,
                Goal = model.Goal,
                SamplerName = model.SamplerName,
                MaxConcurrentTrials = model.MaxConcurrentTrials,
                WarmStartTrials = model.WarmStartTrials,
                ModelDirectory = staging.FullName,
                DataFingerprint = dataFingerprint,
                ArtifactsRoot = _artifacts,
            };
            var published = await new ArtifactPublisher(_host.Time).PublishAsync(request, cancellationToken).ConfigureAwait(false);
            var report = new HtmlReportOptions { Experiment = identity.Name, ObjectiveMetric = identity.ObjectiveMetric, Goal = model.Goal };
            report.Settings.Add(new("seed", model.Seed.ToString(CultureInfo.InvariantCulture)));
            report.Settings.Add(new("sampler", model.SamplerName));
            foreach (var line in SweepReport.CurrentEnvironment())
            {
                report.Environment.Add(line);
            }

            report.Environment.Add(new("commit", published.GitCommit));
            var content = SweepReport.From(model.Result, report);
            await HtmlReport.WriteAsync(Path.Combine(published.Directory, HtmlReport.FileName), content, _host.Time, cancellationToken).ConfigureAwait(false);
            var charts = await PngCharts.WriteAsync(published.Directory, content, cancellationToken).ConfigureAwait(false);
            await _host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Retrained trial {model.Best.Number}'s configuration on all data; published {string.Join(", ", published.ModelFiles.Select(Path.GetFileName))}, manifest.json, sweep.lock.json and report.html to {published.Directory}")).ConfigureAwait(false);
            if (charts.Count > 0)
            {
                await _host.Output.WriteLineAsync($"Charts for places HTML cannot go: {string.Join(" and ", charts)}.").ConfigureAwait(false);
            }
            if (_upload is not null)
            {
                await _host.Output.WriteLineAsync(await _upload.UploadAsync(published, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }

            return published;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}
