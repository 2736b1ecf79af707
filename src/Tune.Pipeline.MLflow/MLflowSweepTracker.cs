using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// MLflow tracking for one sweep of an experiment executable: forwards the store's outbox in the background while the
/// sweep runs, flushes it at the end within a bounded wait, and registers the published model when asked.
/// </summary>
/// <remarks>
/// The sweep never waits for MLflow: everything is in the store first. When the server cannot be reached, one
/// warning says so (never the credentials); the host says at the end how many events wait and how to send them.
/// </remarks>
internal sealed class MLflowSweepTracker : ISweepTracker
{
    /// <summary>The longest the end of a sweep waits for MLflow to take what is pending.</summary>
    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(30);

    private readonly SqlSweepStore _store;
    private readonly string _sweepName;
    private readonly string? _registeredModel;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly MLflowClient _client;
    private readonly MLflowForwarder _forwarder;
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;
    private int _warned;

    private MLflowSweepTracker(SqlSweepStore store, SweepTrackerOptions options, MLflowClientOptions clientOptions)
    {
        _store = store;
        _sweepName = options.SweepName;
        _registeredModel = options.RegisteredModel;
        _output = options.Output;
        _error = options.Error;
        clientOptions.Warning = Warn;

        // Two quick retries: the forwarder itself tries again later, so a long backoff would only delay the warning.
        clientOptions.MaxRetries = Math.Min(clientOptions.MaxRetries, 2);
        _client = new MLflowClient(clientOptions, options.TimeProvider);
        _forwarder = new MLflowForwarder(store, _client, new MLflowForwarderOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            Warning = Warn,
            Unavailable = exception => WarnOnce(exception),
        });
    }

    /// <summary>
    /// Checks the settings, records the experiment and objective names in the store (so that a later
    /// <c>tune mlflow sync</c> uses them too) and starts forwarding.
    /// </summary>
    /// <exception cref="ArgumentException">No tracking server is given, or the settings cannot be used; nothing is written.</exception>
    public static async ValueTask<ISweepTracker> StartAsync(SqlSweepStore store, SweepTrackerOptions options, CancellationToken cancellationToken)
    {
        var clientOptions = MLflowClientOptions.FromEnvironment(options.Environment, options.TrackingUri)
            ?? throw new ArgumentException($"No MLflow tracking server is given. Set {MLflowClientOptions.TrackingUriVariable} or pass --tracking-uri, such as http://localhost:5000.");
        var tracker = new MLflowSweepTracker(store, options, clientOptions);
        try
        {
            // The names first: the forwarder files the sweep's first event under them.
            await store.SetTrackingNamesAsync(options.SweepName, options.ExperimentName, options.ObjectiveMetric, cancellationToken).ConfigureAwait(false);
            tracker._background = tracker._forwarder.RunAsync(tracker._stop.Token);
            return tracker;
        }
        catch
        {
            await tracker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> FinishAsync(CancellationToken cancellationToken)
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(FlushWait);
        try
        {
            await _forwarder.DeliverPendingAsync(bounded.Token).ConfigureAwait(false);
            await _output.WriteLineAsync($"Tracked in {_client}: {_forwarder.Delivered}.").ConfigureAwait(false);
            return true;
        }
        catch (MLflowException exception)
        {
            WarnOnce(exception);
        }
        catch (MLflowForwarderBusyException exception)
        {
            // A `tune mlflow sync` on the same store delivers for now; what it has not sent yet still waits in the store.
            Warn(exception.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bounded wait ran out; what is left waits in the store.
        }

        return false;
    }

    /// <inheritdoc/>
    /// <remarks>The files go to the sweep's MLflow run under <c>model/</c>, through the server's artifact proxy.</remarks>
    public async Task<bool> RegisterModelAsync(string publishedDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publishedDirectory);
        if (_registeredModel is not { } name)
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
            foreach (var file in Directory.EnumerateFiles(publishedDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(publishedDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
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

    /// <summary>Stops forwarding and closes the client; the store is the caller's.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        await _forwarder.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
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
