using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Tune.Pipeline.Tracking.MLflow.Wire;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// A typed client for an MLflow tracking server's REST API (<c>/api/2.0/mlflow/</c>): experiments, runs, batched
/// metrics, params and tags, metric history, the model registry, and artifact upload through <c>mlflow-artifacts</c>.
/// </summary>
/// <remarks>
/// <para>
/// Values the server would refuse or silently change are checked before sending (keys, sizes, run statuses, a
/// param given two values), and <see cref="LogBatchAsync"/> splits a batch to the server's limits. Connection
/// failures, timeouts, 429 and 5xx are retried with exponential backoff; 4xx answers are not, and surface as an
/// <see cref="MLflowException"/> with the server's error code and message.
/// </para>
/// <para>Thread-safe: one instance may serve a whole sweep.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = MLflowClientOptions.FromEnvironment();   // null when MLFLOW_TRACKING_URI is not set
/// var clock = TimeProvider.System;
/// using var mlflow = new MLflowClient(options!, clock);
/// var experiment = await mlflow.GetOrCreateExperimentAsync("faq-matching", cancellationToken: ct);
/// var sweep = await mlflow.CreateRunAsync(experiment.ExperimentId, "sweep-42", cancellationToken: ct);
/// var trial = await mlflow.CreateRunAsync(experiment.ExperimentId, "trial-0", parentRunId: sweep.RunId, cancellationToken: ct);
/// await mlflow.LogBatchAsync(trial.RunId, new MLflowBatch
/// {
///     Params = [new MLflowParam("NGrams", "bigram")],
///     Metrics = [new MLflowMetric("auc", 0.91, clock.GetUtcNow(), Step: 3)],
/// }, ct);
/// await mlflow.UpdateRunAsync(trial.RunId, MLflowRunStatus.Finished, cancellationToken: ct);
/// </code>
/// </example>
public sealed partial class MLflowClient : IDisposable
{
    /// <summary>The tag that makes a run the child of another: <c>mlflow.parentRunId</c>.</summary>
    public const string ParentRunIdTag = "mlflow.parentRunId";

    /// <summary>The tag that holds a run's name: <c>mlflow.runName</c>.</summary>
    public const string RunNameTag = "mlflow.runName";

    /// <summary>The URI scheme of artifacts kept by the tracking server's artifact proxy: <c>mlflow-artifacts</c>.</summary>
    public const string ArtifactScheme = "mlflow-artifacts";

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly MLflowClientOptions _options;
    private readonly Uri _baseAddress;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// Initializes a new instance of the <see cref="MLflowClient"/> class with its own <see cref="HttpClient"/>.
    /// </summary>
    /// <param name="options">The server and retry settings; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public MLflowClient(MLflowClientOptions options, TimeProvider? timeProvider = null)
        : this(CreateHttpClient(options), ownsHttpClient: true, options, timeProvider)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MLflowClient"/> class over a caller's <see cref="HttpClient"/>,
    /// which it neither configures nor disposes; credentials go on each request, not on the client.
    /// </summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="options">The server and retry settings; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public MLflowClient(HttpClient httpClient, MLflowClientOptions options, TimeProvider? timeProvider = null)
        : this(httpClient, ownsHttpClient: false, options, timeProvider)
    {
    }

    private MLflowClient(HttpClient httpClient, bool ownsHttpClient, MLflowClientOptions options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _options = Copy(options);
        _timeProvider = timeProvider ?? TimeProvider.System;

        // A trailing slash keeps a path prefix (a server behind a proxy at /mlflow) when routes are appended.
        var uri = _options.TrackingUri!.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        _baseAddress = new Uri(uri.EndsWith('/') ? uri : uri + "/", UriKind.Absolute);
    }


    /// <summary>
    /// Gets an experiment by name, creating it when it does not exist.
    /// </summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="tags">Tags for a newly created experiment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="MLflowException">The server refused, or the experiment exists but is deleted.</exception>
    /// <exception cref="MLflowValidationException">A tag is invalid or too long under <see cref="OversizeValuePolicy.Refuse"/>.</exception>
    public async Task<MLflowExperiment> GetOrCreateExperimentAsync(string name, IReadOnlyList<MLflowTag>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var wireTags = CheckTags(tags, MLflowLimits.MaxExperimentTagValueLength, $"experiment '{name}'");

        try
        {
            await PostAsync("experiments/create", new CreateExperimentRequest(name, null, wireTags), MLflowJsonContext.Default.CreateExperimentRequest, MLflowJsonContext.Default.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (MLflowException ex) when (ex.ErrorCode == MLflowErrorCodes.ResourceAlreadyExists)
        {
            // The name is taken, possibly by a deleted experiment: look it up rather than fail.
        }

        var experiment = await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new MLflowException($"MLflow created or reported experiment '{name}' but does not find it by name. Try again.", HttpStatusCode.NotFound, MLflowErrorCodes.ResourceDoesNotExist, null, isTransient: true);
        if (string.Equals(experiment.LifecycleStage, "deleted", StringComparison.OrdinalIgnoreCase))
        {
            throw new MLflowException(
                $"MLflow experiment '{name}' (id {experiment.ExperimentId}) is deleted, and MLflow keeps its name. Restore it (mlflow experiments restore --experiment-id {experiment.ExperimentId}) or use another experiment name.",
                HttpStatusCode.BadRequest,
                MLflowErrorCodes.ResourceAlreadyExists,
                null,
                isTransient: false);
        }

        return experiment;
    }

    /// <summary>
    /// Gets an experiment by name.
    /// </summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The experiment; <see langword="null"/> when none has this name.</returns>
    /// <exception cref="MLflowException">The server failed or refused.</exception>
    public async Task<MLflowExperiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        try
        {
            var response = await GetAsync("experiments/get-by-name", [("experiment_name", name)], MLflowJsonContext.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
            var wire = response.Experiment ?? throw MissingField("experiment", "experiments/get-by-name");
            return new MLflowExperiment(wire.ExperimentId ?? throw MissingField("experiment_id", "experiments/get-by-name"), wire.Name ?? name, wire.ArtifactLocation, wire.LifecycleStage);
        }
        catch (MLflowException ex) when (ex.ErrorCode == MLflowErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates a run, always sending its start time (a run created without one is stored as starting in 1970).
    /// </summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="runName">The run's name, sent as <c>run_name</c>; <see langword="null"/> for none.</param>
    /// <param name="parentRunId">The parent run's id, sent as the <c>mlflow.parentRunId</c> tag; <see langword="null"/> for a top-level run.</param>
    /// <param name="tags">The run's tags.</param>
    /// <param name="startTime">When the run started; now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created run.</returns>
    /// <exception cref="MLflowValidationException">A tag is invalid, too long under <see cref="OversizeValuePolicy.Refuse"/>, or an <c>mlflow.runName</c> or <c>mlflow.parentRunId</c> tag contradicts the arguments.</exception>
    /// <exception cref="MLflowException">The server refused, for example an unknown experiment.</exception>
    /// <remarks>
    /// A create is sent again only when the server surely did not receive it (no connection, or 429): after a reset,
    /// a timeout or a 5xx the run may exist, so the call fails with a transient <see cref="MLflowException"/>, and
    /// callers that must not duplicate runs tag each run with a key and look for it with <see cref="SearchRunsAsync"/>
    /// before creating it again.
    /// </remarks>
    public async Task<MLflowRun> CreateRunAsync(
        string experimentId,
        string? runName = null,
        string? parentRunId = null,
        IReadOnlyList<MLflowTag>? tags = null,
        DateTimeOffset? startTime = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        var all = new List<MLflowTag>(tags ?? []);
        var problems = new List<string>();
        foreach (var tag in all)
        {
            if (tag.Key == RunNameTag && runName is not null && tag.Value != runName)
            {
                problems.Add($"Run name '{runName}' and tag {RunNameTag} '{tag.Value}' differ; MLflow refuses both. Give the name once.");
            }

            if (tag.Key == ParentRunIdTag && parentRunId is not null && tag.Value != parentRunId)
            {
                problems.Add($"Parent run '{parentRunId}' and tag {ParentRunIdTag} '{tag.Value}' differ. Give the parent once.");
            }
        }

        if (problems.Count > 0)
        {
            throw new MLflowValidationException(problems);
        }

        if (parentRunId is not null)
        {
            all.Add(new MLflowTag(ParentRunIdTag, parentRunId));
        }

        var wireTags = CheckTags(all, _options.MaxTagValueLength, runName is null ? "a new run" : $"run '{runName}'") ?? [];
        var start = (startTime ?? _timeProvider.GetUtcNow()).ToUnixTimeMilliseconds();
        var response = await PostAsync("runs/create", new CreateRunRequest(experimentId, start, runName, wireTags), MLflowJsonContext.Default.CreateRunRequest, MLflowJsonContext.Default.RunResponse, cancellationToken, RetryMode.UnlessReceived).ConfigureAwait(false);
        return ToRun(response.Run, "runs/create");
    }

    /// <summary>
    /// Gets a run with its tags, params and latest metrics.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    /// <exception cref="MLflowException">The run does not exist (<see cref="MLflowErrorCodes.ResourceDoesNotExist"/>) or the server failed.</exception>
    public async Task<MLflowRun> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var response = await GetAsync("runs/get", [("run_id", runId)], MLflowJsonContext.Default.RunResponse, cancellationToken).ConfigureAwait(false);
        return ToRun(response.Run, "runs/get");
    }

    /// <summary>
    /// Ends a run with a final status.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="status"><see cref="MLflowRunStatus.Finished"/>, <see cref="MLflowRunStatus.Failed"/> or <see cref="MLflowRunStatus.Killed"/>.</param>
    /// <param name="endTime">When the run ended; now when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run's info as the server now has it (no tags, params or metrics).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a final status; the server would silently ignore it.</exception>
    /// <exception cref="MLflowException">The run does not exist or the server failed.</exception>
    public async Task<MLflowRun> UpdateRunAsync(string runId, MLflowRunStatus status, DateTimeOffset? endTime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var wireStatus = status switch
        {
            MLflowRunStatus.Finished => "FINISHED",
            MLflowRunStatus.Failed => "FAILED",
            MLflowRunStatus.Killed => "KILLED",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, $"Run '{runId}' can only end as Finished, Failed or Killed; MLflow silently ignores any other status. Pick one of those."),
        };

        var end = (endTime ?? _timeProvider.GetUtcNow()).ToUnixTimeMilliseconds();
        var response = await PostAsync("runs/update", new UpdateRunRequest(runId, wireStatus, end), MLflowJsonContext.Default.UpdateRunRequest, MLflowJsonContext.Default.UpdateRunResponse, cancellationToken).ConfigureAwait(false);
        return ToRun(new WireRun(response.RunInfo, null), "runs/update");
    }

    /// <summary>
    /// Logs metrics, params and tags to a run, in as many <c>runs/log-batch</c> requests as the server's limits ask.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="batch">What to log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many requests were sent, and any truncation warnings.</returns>
    /// <exception cref="MLflowValidationException">A key is invalid, a param has two values, or a value is too long under <see cref="OversizeValuePolicy.Refuse"/>; nothing was sent.</exception>
    /// <exception cref="MLflowException">The server refused or failed; requests before the failing one were delivered.</exception>
    /// <remarks>
    /// Requests go in order: params first, then tags, then metrics in the order given. Sending the same batch again
    /// after a failure is safe for params (same value) and tags; metric values already delivered are sent again,
    /// and a server with a SQL backend ignores a value identical in key, value, timestamp and step, so keep the
    /// original timestamps when resending.
    /// </remarks>
    public async Task<MLflowBatchResult> LogBatchAsync(string runId, MLflowBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(batch);
        var (requests, warnings) = BatchSplitter.Split(runId, batch, _options.OversizeValues, _options.MaxTagValueLength);
        Warn(warnings);

        foreach (var request in requests)
        {
            await PostAsync("runs/log-batch", request, MLflowJsonContext.Default.LogBatchRequest, MLflowJsonContext.Default.EmptyResponse, cancellationToken).ConfigureAwait(false);
        }

        return new MLflowBatchResult(requests.Count, warnings);
    }

    /// <summary>
    /// Gets one page of runs matching a query.
    /// </summary>
    /// <param name="query">The experiments, filter, order and page size.</param>
    /// <param name="pageToken">The token of the page wanted; <see langword="null"/> for the first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The query names no experiment or a page size outside 1..50000.</exception>
    /// <exception cref="MLflowException">The server refused (for example a filter it cannot parse) or failed.</exception>
    public async Task<MLflowRunPage> SearchRunsPageAsync(MLflowRunQuery query, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.ExperimentIds.Count == 0)
        {
            throw new ArgumentException("The run query names no experiment. Add at least one experiment id.", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, MLflowLimits.MaxSearchResults, nameof(query));

        var request = new SearchRunsRequest(query.ExperimentIds, query.Filter, query.OrderBy.Count == 0 ? null : query.OrderBy, query.PageSize, pageToken);
        var response = await PostAsync("runs/search", request, MLflowJsonContext.Default.SearchRunsRequest, MLflowJsonContext.Default.SearchRunsResponse, cancellationToken).ConfigureAwait(false);
        var runs = (response.Runs ?? []).Select(run => ToRun(run, "runs/search")).ToList();
        return new MLflowRunPage(runs, string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken);
    }

    /// <summary>
    /// Gets every run matching a query, page after page.
    /// </summary>
    /// <param name="query">The experiments, filter, order and page size.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The runs, in the server's order.</returns>
    /// <exception cref="MLflowException">The server refused or failed.</exception>
    public async IAsyncEnumerable<MLflowRun> SearchRunsAsync(MLflowRunQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await SearchRunsPageAsync(query, token, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Runs)
            {
                yield return run;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Gets every value logged for one metric of a run.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="metricKey">The metric's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The values, in the server's order.</returns>
    /// <exception cref="MLflowException">The run does not exist or the server failed.</exception>
    public async Task<IReadOnlyList<MLflowMetric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricKey);
        var metrics = new List<MLflowMetric>();
        string? token = null;
        do
        {
            // Newer servers page the history; older ones answer everything and no token.
            var response = await GetAsync("metrics/get-history", [("run_id", runId), ("metric_key", metricKey), ("page_token", token)], MLflowJsonContext.Default.MetricHistoryResponse, cancellationToken).ConfigureAwait(false);
            metrics.AddRange((response.Metrics ?? []).Select(ToMetric));
            token = string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken;
        }
        while (token is not null);

        return metrics;
    }

    /// <summary>
    /// Gets a registered model by name, creating it when it does not exist.
    /// </summary>
    /// <param name="name">The model's name.</param>
    /// <param name="description">A description for a newly created model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered model.</returns>
    /// <exception cref="MLflowException">The server refused or failed.</exception>
    public async Task<MLflowRegisteredModel> GetOrCreateRegisteredModelAsync(string name, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        RegisteredModelResponse response;
        try
        {
            response = await PostAsync("registered-models/create", new CreateRegisteredModelRequest(name, description, null), MLflowJsonContext.Default.CreateRegisteredModelRequest, MLflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (MLflowException ex) when (ex.ErrorCode == MLflowErrorCodes.ResourceAlreadyExists)
        {
            response = await GetAsync("registered-models/get", [("name", name)], MLflowJsonContext.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        }

        var model = response.RegisteredModel ?? throw MissingField("registered_model", "registered-models/create");
        return new MLflowRegisteredModel(model.Name ?? name, model.Description);
    }

    /// <summary>
    /// Creates a new version of a registered model from files a run uploaded.
    /// </summary>
    /// <param name="name">The registered model's name (see <see cref="GetOrCreateRegisteredModelAsync"/>).</param>
    /// <param name="source">Where the model's files are: an absolute URI such as <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model</c> (see <see cref="GetArtifactUri"/>).</param>
    /// <param name="runId">The run that produced the model, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not an absolute URI.</exception>
    /// <exception cref="MLflowException">The registered model does not exist, or the server refused or failed.</exception>
    public async Task<MLflowModelVersion> CreateModelVersionAsync(string name, string source, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (!Uri.TryCreate(source, UriKind.Absolute, out _) || !source.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Model source '{source}' is not a URI; MLflow needs one such as mlflow-artifacts:/1/<run>/artifacts/model. Use GetArtifactUri.", nameof(source));
        }

        var response = await PostAsync("model-versions/create", new CreateModelVersionRequest(name, source, runId, null), MLflowJsonContext.Default.CreateModelVersionRequest, MLflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        var version = response.ModelVersion ?? throw MissingField("model_version", "model-versions/create");
        return new MLflowModelVersion(version.Name ?? name, version.Version ?? throw MissingField("version", "model-versions/create"), version.Source ?? source, version.RunId ?? runId, version.Status);
    }

    /// <summary>
    /// Gets one version of a registered model (<c>GET model-versions/get</c>).
    /// </summary>
    /// <param name="name">The registered model's name.</param>
    /// <param name="version">The version number, such as <c>3</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, with the source its files are under.</returns>
    /// <exception cref="MLflowException">The name or version does not exist (<see cref="MLflowErrorCodes.ResourceDoesNotExist"/>), or the server refused or failed.</exception>
    public async Task<MLflowModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var response = await GetAsync("model-versions/get", [("name", name), ("version", version)], MLflowJsonContext.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        var found = response.ModelVersion ?? throw MissingField("model_version", "model-versions/get");
        return new MLflowModelVersion(found.Name ?? name, found.Version ?? version, found.Source ?? throw MissingField("source", "model-versions/get"), found.RunId, found.Status);
    }

    /// <summary>
    /// Downloads one artifact file through the server's artifact proxy
    /// (<c>GET /api/2.0/mlflow-artifacts/artifacts/&lt;path&gt;</c>), retrying as every idempotent call does.
    /// </summary>
    /// <param name="artifactUri">The file's URI, such as <c>mlflow-artifacts:/1/&lt;run&gt;/artifacts/model/manifest.json</c> (a model version's source and a file under it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="artifactUri"/> is not an <c>mlflow-artifacts:</c> URI with a relative path.</exception>
    /// <exception cref="MLflowException">The server refused or failed; a missing file is MLflow's 500 <see cref="MLflowErrorCodes.InternalError"/>.</exception>
    public async Task<byte[]> DownloadArtifactAsync(string artifactUri, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactUri);
        var scheme = ArtifactScheme + ":";
        if (!artifactUri.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact '{artifactUri}' is not an {scheme} URI; only files the server's artifact proxy holds can be downloaded.", nameof(artifactUri));
        }

        var segments = SplitArtifactPath(artifactUri[scheme.Length..].TrimStart('/'));
        var relative = ArtifactsPrefix + string.Join('/', segments.Select(Uri.EscapeDataString));
        using var response = await SendWithRetriesAsync(HttpMethod.Get, relative, static () => null, RetryMode.Always, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var isJson = mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        throw CreateError(response.StatusCode, mediaType, isJson ? body : null, HttpMethod.Get, relative);
    }

    /// <summary>
    /// Uploads one artifact file of a run through the server's artifact proxy
    /// (<c>PUT /api/2.0/mlflow-artifacts/artifacts/&lt;experiment&gt;/&lt;run&gt;/artifacts/&lt;path&gt;</c>).
    /// </summary>
    /// <param name="experimentId">The run's experiment id.</param>
    /// <param name="runId">The run's id.</param>
    /// <param name="artifactPath">The file's path under the run's artifacts, such as <c>model/model.zip</c>.</param>
    /// <param name="content">The bytes, from the stream's position; it is left open. A stream that cannot seek is not retried.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="artifactPath"/> is empty, absolute or climbs out with <c>..</c>.</exception>
    /// <exception cref="MLflowException">The server refused or failed; <see cref="MLflowErrorCodes.EndpointNotFound"/> when it does not serve artifacts.</exception>
    public async Task UploadArtifactAsync(string experimentId, string runId, string artifactPath, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(content);
        var segments = SplitArtifactPath(artifactPath);
        var relative = $"{ArtifactsPrefix}{Uri.EscapeDataString(experimentId)}/{Uri.EscapeDataString(runId)}/artifacts/{string.Join('/', segments.Select(Uri.EscapeDataString))}";

        // Every attempt sends from where the caller's stream stood at the start.
        var start = content.CanSeek ? content.Position : 0;
        using var response = await SendWithRetriesAsync(HttpMethod.Put, relative, () => new ArtifactContent(content, start), content.CanSeek ? RetryMode.Always : RetryMode.Never, cancellationToken).ConfigureAwait(false);
        await ReadAsync(response, HttpMethod.Put, relative, MLflowJsonContext.Default.EmptyResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gets the URI that names a run's artifact, as model versions take it: <c>mlflow-artifacts:/&lt;experiment&gt;/&lt;run&gt;/artifacts/&lt;path&gt;</c>.
    /// </summary>
    /// <param name="experimentId">The run's experiment id.</param>
    /// <param name="runId">The run's id.</param>
    /// <param name="artifactPath">The artifact's path under the run's artifacts.</param>
    /// <returns>The URI.</returns>
    public static string GetArtifactUri(string experimentId, string runId, string artifactPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return $"{ArtifactScheme}:/{experimentId}/{runId}/artifacts/{string.Join('/', SplitArtifactPath(artifactPath))}";
    }

    /// <summary>Returns the server's address and the kind of credentials used, never their values.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => _options.ToString();

    /// <summary>Disposes the <see cref="HttpClient"/> if this instance created it.</summary>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The HttpClient owns the handler and the client owns the HttpClient.")]
    private static HttpClient CreateHttpClient(MLflowClientOptions options)
    {
        // Validated before the handler exists, so that invalid options leak no socket handler.
        ThrowIfInvalid(options);
        var handler = new HttpClientHandler();
        if (options.InsecureTls)
        {
            // MLFLOW_TRACKING_INSECURE_TLS: the user asked, as MLflow's own client allows, for a self-signed server.
#pragma warning disable CA5400 // Certificate revocation is moot when no certificate is checked at all.
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
#pragma warning restore CA5400
        }

        return new HttpClient(handler);
    }

    private static void ThrowIfInvalid(MLflowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }
    }

    private static MLflowClientOptions Copy(MLflowClientOptions options)
    {
        ThrowIfInvalid(options);
        return new MLflowClientOptions
        {
            TrackingUri = options.TrackingUri,
            Username = options.Username,
            Password = options.Password,
            Token = options.Token,
            InsecureTls = options.InsecureTls,
            MaxRetries = options.MaxRetries,
            RetryDelay = options.RetryDelay,
            MaxRetryDelay = options.MaxRetryDelay,
            OversizeValues = options.OversizeValues,
            MaxTagValueLength = options.MaxTagValueLength,
            Warning = options.Warning,
        };
    }

    private static List<string> SplitArtifactPath(string artifactPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactPath);
        var segments = artifactPath.Replace('\\', '/').Split('/');
        if (artifactPath.StartsWith('/') || segments.Any(static s => s.Length == 0 || s is "." or ".."))
        {
            throw new ArgumentException($"Artifact path '{artifactPath}' must be relative, without empty, '.' or '..' segments, such as model/model.zip.", nameof(artifactPath));
        }

        return [.. segments];
    }

    private List<WireKeyValue>? CheckTags(IReadOnlyList<MLflowTag>? tags, int maxValueLength, string owner)
    {
        if (tags is null || tags.Count == 0)
        {
            return null;
        }

        var problems = new List<string>();
        var warnings = new List<string>();
        var result = new List<WireKeyValue>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (MLflowLimits.CheckKey("tag", tag.Key) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            var value = tag.Value ?? string.Empty;
            if (value.Length > maxValueLength)
            {
                if (_options.OversizeValues == OversizeValuePolicy.Refuse)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"Tag '{tag.Key}' of {owner} has {value.Length} characters; MLflow keeps at most {maxValueLength}. Shorten it, or set OversizeValues to Truncate."));
                    continue;
                }

                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Tag '{tag.Key}' of {owner} has {value.Length} characters; MLflow keeps at most {maxValueLength}, so it was truncated to {maxValueLength}."));
                value = MLflowLimits.Truncate(value, maxValueLength);
            }

            // A key given twice keeps its last value: the server refuses duplicates in one request.
            if (index.TryGetValue(tag.Key, out var at))
            {
                result[at] = new WireKeyValue(tag.Key, value);
            }
            else
            {
                index.Add(tag.Key, result.Count);
                result.Add(new WireKeyValue(tag.Key, value));
            }
        }

        if (problems.Count > 0)
        {
            throw new MLflowValidationException(problems);
        }

        Warn(warnings);
        return result;
    }

    private void Warn(IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings)
        {
            _options.Warning?.Invoke(warning);
        }
    }

    private MLflowRun ToRun(WireRun? run, string route)
    {
        var info = run?.Info ?? throw MissingField("run.info", route);
        var data = run.Data;
        var tags = (data?.Tags ?? []).GroupBy(static t => t.Key, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.Last().Value, StringComparer.Ordinal);
        var parameters = (data?.Params ?? []).GroupBy(static p => p.Key, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.Last().Value, StringComparer.Ordinal);
        return new MLflowRun(
            info.RunId ?? info.RunUuid ?? throw MissingField("run_id", route),
            info.ExperimentId ?? throw MissingField("experiment_id", route),
            info.RunName ?? tags.GetValueOrDefault(RunNameTag),
            ParseStatus(info.Status),
            DateTimeOffset.FromUnixTimeMilliseconds(info.StartTime ?? 0),
            info.EndTime is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null,
            info.ArtifactUri)
        {
            Tags = tags,
            Params = parameters,
            Metrics = (data?.Metrics ?? []).Select(ToMetric).ToList(),
        };
    }

    private static MLflowMetric ToMetric(WireMetric metric) =>
        new(metric.Key, metric.Value, DateTimeOffset.FromUnixTimeMilliseconds(metric.Timestamp), metric.Step);

    private static MLflowRunStatus ParseStatus(string? status) => status switch
    {
        "RUNNING" => MLflowRunStatus.Running,
        "SCHEDULED" => MLflowRunStatus.Scheduled,
        "FINISHED" => MLflowRunStatus.Finished,
        "FAILED" => MLflowRunStatus.Failed,
        "KILLED" => MLflowRunStatus.Killed,
        _ => MLflowRunStatus.Unknown,
    };

    private MLflowException MissingField(string field, string route) => new(
        $"MLflow at {_options.DescribeServer()} answered {route} without '{field}'. Check that the server is an MLflow tracking server.",
        null,
        null,
        null,
        isTransient: false);
}
