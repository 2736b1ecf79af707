using System.Globalization;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Tracking.MLflow;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// MLflow tracking for one run of the <c>sweep</c> verb: forwards the store's outbox in the background while the
/// sweep runs, flushes it at the end within a bounded wait, and registers the published model when asked.
/// </summary>
/// <remarks>
/// The sweep never waits for MLflow: everything is in the store first. When the server cannot be reached, one
/// warning says so (never the credentials), and the end of the sweep says how many events wait and how to send them.
/// </remarks>
internal sealed class SweepTracking : IAsyncDisposable
{
    /// <summary>The longest the end of a sweep waits for MLflow to take what is pending.</summary>
    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(30);

    private readonly SqlSweepStore _store;
    private readonly string _storeText;
    private readonly string _sweepName;
    private readonly string? _registeredModel;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly MLflowClient? _client;
    private readonly MLflowForwarder? _forwarder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _background = Task.CompletedTask;
    private int _warned;

    private SweepTracking(SqlSweepStore store, string storeText, string sweepName, string? registeredModel, MLflowClientOptions? options, TimeProvider time, TextWriter output, TextWriter error)
    {
        _store = store;
        _storeText = storeText;
        _sweepName = sweepName;
        _registeredModel = registeredModel;
        _output = output;
        _error = error;
        if (options is null)
        {
            return;
        }

        options.Warning = Warn;

        // Two quick retries: the forwarder itself tries again later, so a long backoff would only delay the warning.
        options.MaxRetries = Math.Min(options.MaxRetries, 2);
        try
        {
            _client = new MLflowClient(options, time);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }

        _forwarder = new MLflowForwarder(store, _client, new MLflowForwarderOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            Warning = Warn,
            Unavailable = exception => WarnOnce(exception),
        });
        _background = _forwarder.RunAsync(_stop.Token);
    }

    /// <summary>
    /// Starts tracking: records the experiment and objective names in the store (so that a later
    /// <c>tune mlflow sync</c> uses them too) and, when a tracking server is given, starts forwarding.
    /// </summary>
    public static async Task<SweepTracking> StartAsync(
        SweepTrackingRequest request, string storeText, string sweepName, string experimentName, string objectiveMetric, bool publishes,
        TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MLflowClientOptions? options;
        try
        {
            options = MLflowClientOptions.FromEnvironment(Environment.GetEnvironmentVariable, request.TrackingUri);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }

        if (request.RegisteredModel is not null && options is null)
        {
            throw new UsageException($"--register-model '{request.RegisteredModel}' needs MLflow tracking. Set {MLflowClientOptions.TrackingUriVariable} or pass --tracking-uri.");
        }

        if (request.RegisteredModel is not null && !publishes)
        {
            throw new UsageException($"--register-model '{request.RegisteredModel}' registers the published model, and --no-publish publishes none. Leave out one of them.");
        }

        // Its own connection, so that forwarding never queues behind the sweep's writes.
        var store = SweepStores.Open(storeText, time);
        try
        {
            await store.SetTrackingNamesAsync(sweepName, experimentName, objectiveMetric, cancellationToken).ConfigureAwait(false);
            return new SweepTracking(store, storeText, sweepName, request.RegisteredModel, options, time, output, error);
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
        if (_forwarder is null)
        {
            return;
        }

        await StopBackgroundAsync().ConfigureAwait(false);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(FlushWait);
        try
        {
            await _forwarder.DeliverPendingAsync(bounded.Token).ConfigureAwait(false);
            await _output.WriteLineAsync($"Tracked in {_client}: {_forwarder.Delivered}.").ConfigureAwait(false);
            return;
        }
        catch (MLflowException exception)
        {
            WarnOnce(exception);
        }
        catch (MLflowForwarderBusyException exception)
        {
            // A `tune mlflow sync` on the same store delivers for now; what it has not sent yet is counted below.
            Warn(exception.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bounded wait ran out; what is left is counted below.
        }

        var (pending, _) = await _store.GetOutboxBacklogAsync(cancellationToken).ConfigureAwait(false);

        // A PostgreSQL --store may hold a password: it is not repeated.
        var store = SweepStores.SqliteFile(_storeText) is { } file ? $"\"{file}\"" : "<the same --store>";
        await _error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"MLflow tracking: {pending} events wait in the sweep store {_store.DisplayName}; nothing is lost. When the server is up, run `dotnet tune mlflow sync --store {store}`.")).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers the published model as a new version of the model named with <c>--register-model</c>: uploads the
    /// published files to the sweep's MLflow run (under <c>model/</c>) through the artifact proxy, then creates the
    /// version from there.
    /// </summary>
    /// <returns><see langword="true"/> when registered or not asked; <see langword="false"/> when MLflow could not do it (said on standard error).</returns>
    public async Task<bool> RegisterModelAsync(PublishedArtifacts published, CancellationToken cancellationToken)
    {
        if (_registeredModel is not { } name || _client is null)
        {
            return true;
        }

        var tracked = await _store.GetTrackingAsync(_sweepName, cancellationToken).ConfigureAwait(false);
        if (tracked.ExperimentId is not { } experimentId || tracked.Runs.GetValueOrDefault(TrackedSweep.SweepRunNumber) is not { } runId)
        {
            await _error.WriteLineAsync($"Model '{name}' was not registered: sweep '{_sweepName}' has no MLflow run yet, because its events did not reach MLflow. Run `dotnet tune mlflow sync`, then run the sweep again with --resume and --register-model.").ConfigureAwait(false);
            return false;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(published.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(published.Directory, file).Replace(Path.DirectorySeparatorChar, '/');
                var content = File.OpenRead(file);
                await using (content.ConfigureAwait(false))
                {
                    await _client.UploadArtifactAsync(experimentId, runId, "model/" + relative, content, cancellationToken).ConfigureAwait(false);
                }
            }

            await _client.GetOrCreateRegisteredModelAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            var version = await _client.CreateModelVersionAsync(name, MLflowClient.GetArtifactUri(experimentId, runId, "model"), runId, cancellationToken).ConfigureAwait(false);
            await _output.WriteLineAsync($"Registered model '{name}' version {version.Version} in MLflow, from run {runId} (artifacts under model/).").ConfigureAwait(false);
            return true;
        }
        catch (MLflowException exception)
        {
            await _error.WriteLineAsync($"Model '{name}' was not registered in MLflow: {exception.Message}").ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Stops forwarding and closes the tracking store and client.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
        _stop.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StopBackgroundAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _background.ConfigureAwait(false);
    }

    private void WarnOnce(MLflowException exception)
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            Warn($"{exception.Message} The sweep goes on; its tracking events wait in the sweep store and are sent when the server is back.");
        }
    }

    private void Warn(string message)
    {
        lock (_error)
        {
            _error.WriteLine($"MLflow tracking: {message}");
        }
    }
}
