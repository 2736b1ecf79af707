using System.Globalization;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// The tracking of one run of the <c>sweep</c> verb: records the experiment and objective names in the store, tracked
/// or not, and, when a tracking server is given, forwards through the Tune.Pipeline.MLflow package, which an experiment
/// references only when it tracks.
/// </summary>
/// <remarks>
/// The sweep never waits for MLflow: everything is in the store first. When the server does not take it all by the
/// end, one line says how many events wait and how to send them.
/// </remarks>
internal sealed class SweepTracking : IAsyncDisposable
{
    /// <summary>MLflow's own variable for the tracking server; set, it asks for tracking.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The package that tracks in MLflow.</summary>
    public const string Package = "Tune.Pipeline.MLflow";

    private readonly SqlSweepStore? _store;
    private readonly ISweepTracker? _tracker;
    private readonly string _storeText;
    private readonly TextWriter _error;

    private SweepTracking(SqlSweepStore? store, ISweepTracker? tracker, string storeText, TextWriter error)
    {
        _store = store;
        _tracker = tracker;
        _storeText = storeText;
        _error = error;
    }

    /// <summary>
    /// Starts tracking: records the experiment and objective names in the store (so that a later
    /// <c>tune mlflow sync</c> uses them too) and, when a tracking server is given, starts forwarding.
    /// </summary>
    /// <param name="request">What the command line asked.</param>
    /// <param name="sweepStore">The controller's store, where the names go when nothing is tracked.</param>
    /// <param name="settings">
    /// The sweep's store text and name, whether it publishes, and the sweep file's <c>tracking.mlflow</c>
    /// (<c>--tracking-uri</c> wins over it, and it over <c>MLFLOW_TRACKING_URI</c>).
    /// </param>
    /// <param name="identity">The experiment's name and objective.</param>
    /// <param name="time">The clock.</param>
    /// <param name="output">Where what was tracked and registered is said.</param>
    /// <param name="error">Where warnings go.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="UsageException">
    /// Tracking is asked for and the executable lacks the MLflow package, or the tracking settings cannot be used.
    /// </exception>
    public static async Task<SweepTracking> StartAsync(
        SweepTrackingRequest request, SqlSweepStore sweepStore, SweepSettings settings, ExperimentIdentity identity,
        TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var trackingUri = !string.IsNullOrWhiteSpace(request.TrackingUri) ? request.TrackingUri : settings.TrackingUri?.AbsoluteUri;
        var server = ServerAskedBy(request, settings.TrackingUri);
        if (server is null && request.RegisteredModel is null)
        {
            await sweepStore.SetTrackingNamesAsync(settings.SweepName, identity.Name, identity.ObjectiveMetric, cancellationToken).ConfigureAwait(false);
            return new SweepTracking(null, null, settings.Store, error);
        }

        var provider = OptionalPackages.Load<SweepTrackerProviderAttribute, ISweepTrackerProvider>(Package, a => a.ProviderType)
            ?? throw new UsageException($"{server ?? "--register-model"} asks for MLflow tracking, which needs the {Package} package: {OptionalPackages.HowToAdd(Package)}.");
        if (request.RegisteredModel is not null && server is null)
        {
            throw new UsageException($"--register-model '{request.RegisteredModel}' needs MLflow tracking. Set {TrackingUriVariable} or pass --tracking-uri.");
        }

        if (request.RegisteredModel is not null && !settings.Publish)
        {
            throw new UsageException($"--register-model '{request.RegisteredModel}' registers the published model, and --no-publish publishes none. Leave out one of them.");
        }

        // Its own connection, so that forwarding never queues behind the sweep's writes.
        var store = SweepStores.Open(settings.Store, time);
        try
        {
            var tracker = await provider.StartAsync(store, new SweepTrackerOptions
            {
                SweepName = settings.SweepName,
                ExperimentName = identity.Name,
                ObjectiveMetric = identity.ObjectiveMetric,
                TrackingUri = trackingUri,
                RegisteredModel = request.RegisteredModel,
                TimeProvider = time,
                Output = output,
                Error = error,
            }, cancellationToken).ConfigureAwait(false);
            return new SweepTracking(store, tracker, settings.Store, error);
        }
        catch (ArgumentException exception)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new UsageException(exception.Message);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the background forwarding and delivers what is left within a bounded wait; when MLflow does not take it
    /// all, says how many events wait in the store and how to send them.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_tracker is null || _store is null || await _tracker.FinishAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var (pending, _) = await _store.GetOutboxBacklogAsync(cancellationToken).ConfigureAwait(false);

        // A PostgreSQL --store may hold a password: it is not repeated.
        var store = SweepStores.SqliteFile(_storeText) is { } file ? $"\"{file}\"" : "<the same --store>";
        await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"MLflow tracking: {pending} events wait in the sweep store {_store.DisplayName}; nothing is lost. When the server is up, run `dotnet tune mlflow sync --store {store}`.")).ConfigureAwait(false);
    }

    /// <summary>Registers the published model in MLflow when <c>--register-model</c> asked for it.</summary>
    /// <returns><see langword="true"/> when registered or not asked; <see langword="false"/> when MLflow could not do it (said on standard error).</returns>
    public Task<bool> RegisterModelAsync(PublishedArtifacts published, CancellationToken cancellationToken) =>
        _tracker?.RegisterModelAsync(published.Directory, cancellationToken) ?? Task.FromResult(true);

    /// <summary>Stops forwarding and closes the tracking store and client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_tracker is not null)
        {
            await _tracker.DisposeAsync().ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    // What names a tracking server, to name in a refusal; the first one given wins, as for the server itself.
    private static string? ServerAskedBy(SweepTrackingRequest request, Uri? fileTrackingUri) =>
        !string.IsNullOrWhiteSpace(request.TrackingUri) ? "--tracking-uri"
        : fileTrackingUri is not null ? "The sweep file's tracking.mlflow"
        : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TrackingUriVariable)) ? TrackingUriVariable
        : null;
}
