using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tune.Pipeline.Testing.MLflow;

/// <summary>
/// A TEST DOUBLE of an MLflow tracking server: a real HTTP server on 127.0.0.1 (ephemeral port, HttpListener) that
/// keeps experiments, runs, metrics, models and artifacts in memory and enforces the behaviour that
/// ../shared/MLFLOW.md documents for a real server. It is not MLflow and does not try to be complete.
/// </summary>
/// <remarks>
/// <para>Enforced, as a real server does:</para>
/// <list type="bullet">
/// <item>POST bodies need <c>Content-Type: application/json</c> (else 400 BAD_REQUEST); malformed JSON is 400.</item>
/// <item>Unknown routes answer an HTML 404 page and known routes with a wrong method an HTML 405 page, not JSON.</item>
/// <item><c>experiments/create</c> with a taken name, even a deleted experiment's, is 400 RESOURCE_ALREADY_EXISTS;
/// <c>experiments/get-by-name</c> for an unknown name is 404 RESOURCE_DOES_NOT_EXIST.</item>
/// <item>Any call on an unknown run or experiment is 404 RESOURCE_DOES_NOT_EXIST.</item>
/// <item><c>runs/create</c> without <c>start_time</c> stores 0; <c>run_name</c> and a different <c>mlflow.runName</c>
/// tag is 400.</item>
/// <item><c>runs/log-batch</c>: over 1000 metrics, 100 params, 100 tags or 1000 entities, a body of 1 MB or more,
/// duplicate param or tag keys, an invalid key (250 characters of <c>[/\w.\- ]</c>, normalised relative path), a tag
/// value over 5000 characters, or a param re-logged with a different value: 400 INVALID_PARAMETER_VALUE. The same
/// value again is fine. A param value over 6000 characters is SILENTLY TRUNCATED, as MLflow does, and counted in
/// <see cref="SilentlyTruncatedValues"/> so tests can prove the client never relies on it.</item>
/// <item><c>runs/update</c> with an unknown status answers 200 and silently ignores the status.</item>
/// <item><c>runs/search</c> is POST only, pages with <c>page_token</c>, and refuses <c>max_results</c> over 50000.
/// Its filter supports only <c>params.k = 'v'</c>, <c>tags.k = 'v'</c> (backquoted keys too) and
/// <c>attributes.status</c>/<c>run_name</c> joined with AND; anything else is a 400 naming the double's limit.</item>
/// <item>Model registry: taken names are RESOURCE_ALREADY_EXISTS; a version's source must be a URI with a scheme;
/// <c>model-versions/get</c> (GET, <c>name</c> and <c>version</c>) answers <c>{model_version}</c> or 404
/// RESOURCE_DOES_NOT_EXIST.</item>
/// <item>Artifacts: PUT and GET under <c>/api/2.0/mlflow-artifacts/artifacts/</c>; a missing artifact is 500.</item>
/// </list>
/// <para>
/// Faults for tests: <see cref="FailNext"/> answers the next requests with 503 or 429 (or an HTML 404/405);
/// <see cref="GoDown"/> closes
/// the port (connections refused or reset) until <see cref="ComeBack"/>; <see cref="LoseNextAnswers"/> acts on the
/// next requests and then drops the connection, as a proxy or network failure after the server's commit would.
/// </para>
/// <para>
/// A metric value identical in key, value, timestamp and step to one the run already holds is ignored, as MLflow's
/// SQL store does (its primary key is those four fields and the run); <see cref="IgnoredDuplicateMetrics"/> counts
/// them so that tests can check a sender that is meant to deliver each value once.
/// </para>
/// </remarks>
public sealed partial class FakeMLflowServer : IAsyncDisposable
{
    private const string Api = "/api/2.0/mlflow/";
    private const string ArtifactsRoute = "/api/2.0/mlflow-artifacts/artifacts/";

    private static readonly HashSet<string> KnownStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<FakeExperiment> _experiments = [new FakeExperiment { Id = "0", Name = "Default" }];
    private readonly Dictionary<string, FakeRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _registeredModels = new(StringComparer.Ordinal);
    private readonly List<FakeModelVersion> _modelVersions = [];
    private readonly Dictionary<string, byte[]> _artifacts = new(StringComparer.Ordinal);
    private readonly Queue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _faults = new();
    private readonly Dictionary<string, int> _lostAnswers = new(StringComparer.Ordinal);
    private readonly int _port;
    private HttpListener? _listener;
    private volatile bool _down;
    private int _truncated;
    private int _ignoredDuplicates;

    private FakeMLflowServer(int port)
    {
        _port = port;
        Uri = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Gets the server's address, such as <c>http://127.0.0.1:45123/</c>.</summary>
    public Uri Uri { get; }

    /// <summary>Gets how many param values over 6000 characters were silently truncated, as a real server would.</summary>
    public int SilentlyTruncatedValues => Volatile.Read(ref _truncated);

    /// <summary>Gets how many metric values were ignored because the run already held an identical one.</summary>
    public int IgnoredDuplicateMetrics => Volatile.Read(ref _ignoredDuplicates);

    /// <summary>Gets every request received so far, faulted ones included.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the requests to one API route (such as <c>runs/log-batch</c>) that were not faulted.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string route) =>
        [.. Requests.Where(r => !r.Faulted && r.Path == Api + route)];

    /// <summary>Starts a server on a free loopback port.</summary>
    public static FakeMLflowServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            // Ask the OS for a free port, then listen on it; another process may grab it in between, so try again.
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var server = new FakeMLflowServer(port);
            try
            {
                server.Listen();
                return server;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> requests with <paramref name="status"/>: 429 as MLflow JSON, 404 and
    /// 405 as HTML pages, anything else (503 ...) as plain text, as a proxy in front of MLflow would.
    /// </summary>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue((status, retryAfter));
            }
        }
    }

    /// <summary>
    /// Acts on the next <paramref name="count"/> requests to <paramref name="route"/> (such as <c>runs/create</c>) as
    /// usual, then resets the connection instead of answering: the client cannot tell whether the call took effect.
    /// </summary>
    public void LoseNextAnswers(string route, int count)
    {
        lock (_gate)
        {
            _lostAnswers[Api + route] = _lostAnswers.GetValueOrDefault(Api + route) + count;
        }
    }

    /// <summary>
    /// Closes the port: new connections are refused and requests on kept-alive ones are reset. A request caught in
    /// flight may be answered 200 with no body by HttpListener itself as it closes: the client reads that as a cut answer.
    /// </summary>
    public void GoDown()
    {
        _down = true;
        var listener = Interlocked.Exchange(ref _listener, null);
        listener?.Close();
    }

    /// <summary>Opens the port again after <see cref="GoDown"/>; the data is kept.</summary>
    public void ComeBack()
    {
        Listen();
        _down = false;
    }

    /// <summary>Marks an experiment deleted, as <c>mlflow experiments delete</c> would; its name stays taken.</summary>
    public void DeleteExperiment(string name)
    {
        lock (_gate)
        {
            _experiments.Single(e => e.Name == name).LifecycleStage = "deleted";
        }
    }

    /// <summary>Gets a run by id, or <see langword="null"/>.</summary>
    public FakeRun? FindRun(string runId)
    {
        lock (_gate)
        {
            return _runs.GetValueOrDefault(runId);
        }
    }

    /// <summary>Gets every experiment, the default one included.</summary>
    public IReadOnlyList<FakeExperiment> Experiments
    {
        get
        {
            lock (_gate)
            {
                return [.. _experiments];
            }
        }
    }

    /// <summary>Gets every run.</summary>
    public IReadOnlyList<FakeRun> Runs
    {
        get
        {
            lock (_gate)
            {
                return [.. _runs.Values];
            }
        }
    }

    /// <summary>Gets every model version.</summary>
    public IReadOnlyList<FakeModelVersion> ModelVersions
    {
        get
        {
            lock (_gate)
            {
                return [.. _modelVersions];
            }
        }
    }

    /// <summary>Gets an uploaded artifact's bytes by its path under the artifacts root (<c>exp/run/artifacts/...</c>).</summary>
    public byte[]? FindArtifact(string path)
    {
        lock (_gate)
        {
            return _artifacts.GetValueOrDefault(path);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        GoDown();
        return ValueTask.CompletedTask;
    }

    private void Listen()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add(Uri.ToString());
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => AcceptAsync(listener));
    }

    private async Task AcceptAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (_down)
        {
            await CutAsync(response, null);
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            try
            {
                await request.InputStream.CopyToAsync(buffer);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
            {
                // The connection broke mid-request: a real server acts on no part of it.
            }

            body = buffer.ToArray();
        }

        if (_down || (request.ContentLength64 > 0 && body.Length != request.ContentLength64))
        {
            // The server went down while the request arrived: a real server would not have read a cut body as JSON.
            await CutAsync(response, null);
            return;
        }

        var path = request.Url!.AbsolutePath;
        var isArtifact = path.StartsWith(ArtifactsRoute, StringComparison.Ordinal);
        (HttpStatusCode Status, TimeSpan? RetryAfter)? fault = null;
        lock (_gate)
        {
            if (_faults.Count > 0)
            {
                fault = _faults.Dequeue();
            }

            _requests.Add(new RecordedRequest(
                request.HttpMethod,
                path,
                request.Url.Query,
                request.ContentType,
                isArtifact ? string.Empty : Encoding.UTF8.GetString(body),
                body.Length,
                request.Headers["Authorization"],
                fault is not null));
        }

        Answer answer;
        if (fault is { } f)
        {
            answer = f.Status switch
            {
                HttpStatusCode.TooManyRequests => Json(429, Error("REQUEST_LIMIT_EXCEEDED", "Too many requests (injected by FakeMLflowServer).")),
                HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => Html((int)f.Status),
                _ => new Answer((int)f.Status, "text/plain", Encoding.UTF8.GetBytes($"{f.Status} (injected by FakeMLflowServer)")),
            };
            if (f.RetryAfter is { } after)
            {
                response.AddHeader("Retry-After", ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            try
            {
                answer = Route(request.HttpMethod, path, request.QueryString, request.ContentType, body);
            }
            catch (ApiError error)
            {
                answer = Json(error.Status, Error(error.Code, error.Message));
            }
            catch (Exception ex)
            {
                // A request the double cannot read must still get an answer, or the client would wait for its timeout.
                answer = Json(500, Error("INTERNAL_ERROR", $"FakeMLflowServer failed: {ex.Message}"));
            }
        }

        bool lose;
        lock (_gate)
        {
            lose = fault is null && _lostAnswers.GetValueOrDefault(path) > 0;
            if (lose)
            {
                _lostAnswers[path]--;
            }
        }

        if (lose)
        {
            await CutAsync(response, answer);
            return;
        }

        try
        {
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            response.ContentLength64 = answer.Body.Length;
            await response.OutputStream.WriteAsync(answer.Body);
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away or the server went down mid-answer; nothing to do.
        }
    }

    /// <summary>
    /// Promises more than it sends, then cuts the connection, so that the client sees the answer end early, as on a
    /// reset. (HttpListenerResponse.Abort alone can reach the client as an empty 200, which would read as success.)
    /// </summary>
    private static async Task CutAsync(HttpListenerResponse response, Answer? answer)
    {
        try
        {
            var body = answer?.Body ?? [];
            response.StatusCode = answer?.Status ?? 200;
            response.ContentType = answer?.ContentType ?? "application/json";
            response.ContentLength64 = body.Length + 100;
            await response.OutputStream.WriteAsync(body);
            await response.OutputStream.FlushAsync();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The client or the listener went away first; the answer is lost either way.
        }

        response.Abort();
    }

    private Answer Route(string method, string path, System.Collections.Specialized.NameValueCollection query, string? contentType, byte[] body)
    {
        if (path.StartsWith(ArtifactsRoute, StringComparison.Ordinal))
        {
            var artifactPath = Uri.UnescapeDataString(path[ArtifactsRoute.Length..]);
            return method switch
            {
                "PUT" => PutArtifact(artifactPath, body),
                "GET" => GetArtifact(artifactPath),
                _ => Html(405),
            };
        }

        if (!path.StartsWith(Api, StringComparison.Ordinal) || !Routes.TryGetValue(path[Api.Length..], out var expected))
        {
            return Html(404);
        }

        var route = path[Api.Length..];
        if (!string.Equals(method, expected, StringComparison.Ordinal))
        {
            return Html(405);
        }

        if (method == "GET")
        {
            lock (_gate)
            {
                return Json(200, route switch
                {
                    "experiments/get-by-name" => GetExperimentByName(Required(query["experiment_name"], "experiment_name")),
                    "runs/get" => new JsonObject { ["run"] = RunJson(FindRunOrThrow(Required(query["run_id"], "run_id")), withData: true) },
                    "metrics/get-history" => GetMetricHistory(Required(query["run_id"], "run_id"), Required(query["metric_key"], "metric_key")),
                    "registered-models/get" => GetRegisteredModel(Required(query["name"], "name")),
                    "model-versions/get" => GetModelVersion(Required(query["name"], "name"), Required(query["version"], "version")),
                    _ => throw new InvalidOperationException(route),
                });
            }
        }

        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiError(400, "BAD_REQUEST", $"Bad Request. Content-Type must be application/json, got '{contentType}'.");
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new ApiError(400, "BAD_REQUEST", "The body is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ApiError(400, "BAD_REQUEST", $"Malformed JSON: {ex.Message}");
        }

        lock (_gate)
        {
            return Json(200, route switch
            {
                "experiments/create" => CreateExperiment(json),
                "runs/create" => CreateRun(json),
                "runs/update" => UpdateRun(json),
                "runs/log-batch" => LogBatch(json, body.Length),
                "runs/search" => SearchRuns(json),
                "registered-models/create" => CreateRegisteredModel(json),
                "model-versions/create" => CreateModelVersion(json),
                _ => throw new InvalidOperationException(route),
            });
        }
    }

    private static readonly Dictionary<string, string> Routes = new(StringComparer.Ordinal)
    {
        ["experiments/create"] = "POST",
        ["experiments/get-by-name"] = "GET",
        ["runs/create"] = "POST",
        ["runs/get"] = "GET",
        ["runs/update"] = "POST",
        ["runs/log-batch"] = "POST",
        ["runs/search"] = "POST",
        ["metrics/get-history"] = "GET",
        ["registered-models/create"] = "POST",
        ["registered-models/get"] = "GET",
        ["model-versions/create"] = "POST",
        ["model-versions/get"] = "GET",
    };

    private JsonObject CreateExperiment(JsonObject json)
    {
        var name = Required(Str(json, "name"), "name");
        if (_experiments.Any(e => e.Name == name))
        {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
        }

        var experiment = new FakeExperiment { Id = _experiments.Count.ToString(CultureInfo.InvariantCulture), Name = name };
        foreach (var (key, value) in KeyValues(json, "tags"))
        {
            CheckKey(key);
            CheckLength("Tag value", value, 5000);
            experiment.Tags[key] = value;
        }

        _experiments.Add(experiment);
        return new JsonObject { ["experiment_id"] = experiment.Id };
    }

    private JsonObject GetExperimentByName(string name)
    {
        var experiment = _experiments.FirstOrDefault(e => e.Name == name)
            ?? throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'");
        return new JsonObject
        {
            ["experiment"] = new JsonObject
            {
                ["experiment_id"] = experiment.Id,
                ["name"] = experiment.Name,
                ["artifact_location"] = $"mlflow-artifacts:/{experiment.Id}",
                ["lifecycle_stage"] = experiment.LifecycleStage,
                ["tags"] = new JsonArray([.. experiment.Tags.Select(t => KeyValue(t.Key, t.Value))]),
            },
        };
    }

    private JsonObject CreateRun(JsonObject json)
    {
        var experimentId = Required(Str(json, "experiment_id"), "experiment_id");
        if (!_experiments.Any(e => e.Id == experimentId))
        {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"No Experiment with id={experimentId} exists");
        }

        var tags = KeyValues(json, "tags");
        var runName = Str(json, "run_name");
        var nameTag = tags.Where(t => t.Key == "mlflow.runName").Select(t => t.Value).FirstOrDefault();
        if (runName is not null && nameTag is not null && runName != nameTag)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{nameTag}').");
        }

        var run = new FakeRun
        {
            Id = Guid.NewGuid().ToString("N"),
            ExperimentId = experimentId,
            Name = runName ?? nameTag ?? $"run-{_runs.Count + 1}",
            StartTime = Long(json, "start_time") ?? 0,
        };
        foreach (var (key, value) in tags)
        {
            CheckKey(key);
            CheckLength("Tag value", value, 5000);
            run.Tags[key] = value;
        }

        run.Tags["mlflow.runName"] = run.Name;
        _runs.Add(run.Id, run);
        return new JsonObject { ["run"] = RunJson(run, withData: true) };
    }

    private JsonObject UpdateRun(JsonObject json)
    {
        var run = FindRunOrThrow(Required(Str(json, "run_id") ?? Str(json, "run_uuid"), "run_id"));
        var status = Str(json, "status");

        // A real server drops a status it does not know without a word: the reason the client checks.
        if (status is not null && KnownStatuses.Contains(status))
        {
            run.Status = status;
        }

        if (Long(json, "end_time") is { } end)
        {
            run.EndTime = end;
        }

        return new JsonObject { ["run_info"] = RunInfoJson(run) };
    }

    private JsonObject LogBatch(JsonObject json, int bodyBytes)
    {
        var run = FindRunOrThrow(Required(Str(json, "run_id"), "run_id"));
        var metrics = json["metrics"] as JsonArray ?? [];
        var parameters = KeyValues(json, "params");
        var tags = KeyValues(json, "tags");

        if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"A batch logging request can contain at most 1000 metrics, 100 params, 100 tags and 1000 entities in total; got {metrics.Count} metrics, {parameters.Count} params, {tags.Count} tags.");
        }

        if (bodyBytes >= 1_000_000)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Batched logging API requests must be at most 1 MB in size; got {bodyBytes} bytes.");
        }

        if (parameters.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicateParam)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Duplicate parameter keys have been submitted: ['{duplicateParam.Key}'].");
        }

        if (tags.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicateTag)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Duplicate tag keys have been submitted: ['{duplicateTag.Key}'].");
        }

        var parsedMetrics = new List<FakeMetric>();
        foreach (var node in metrics)
        {
            var metric = node as JsonObject ?? throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A metric is not an object.");
            var key = Required(Str(metric, "key"), "metric key");
            CheckKey(key);
            var timestamp = Long(metric, "timestamp") ?? throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Metric '{key}' has no timestamp.");
            parsedMetrics.Add(new FakeMetric(key, MetricValue(metric, key), timestamp, Long(metric, "step") ?? 0));
        }

        foreach (var (key, value) in parameters)
        {
            CheckKey(key);
            var stored = value;
            if (stored.Length > 6000)
            {
                // MLflow cuts long param values without telling the client.
                stored = stored[..6000];
                Interlocked.Increment(ref _truncated);
            }

            if (run.Params.TryGetValue(key, out var old) && old != stored)
            {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{run.Id}'. Attempted logging new value '{stored}'.");
            }
        }

        foreach (var (key, value) in tags)
        {
            CheckKey(key);
            CheckLength("Tag value", value, 5000);
        }

        // Checked in full before anything is stored: a refused batch leaves the run unchanged.
        foreach (var (key, value) in parameters)
        {
            run.Params[key] = value.Length > 6000 ? value[..6000] : value;
        }

        foreach (var (key, value) in tags)
        {
            run.Tags[key] = value;
        }

        foreach (var metric in parsedMetrics)
        {
            if (run.Metrics.Contains(metric))
            {
                Interlocked.Increment(ref _ignoredDuplicates);
                continue;
            }

            run.Metrics.Add(metric);
        }

        return [];
    }

    private JsonObject SearchRuns(JsonObject json)
    {
        var experimentIds = (json["experiment_ids"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var maxResults = (int)(Long(json, "max_results") ?? 1000);
        if (maxResults is < 1 or > 50_000)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Invalid value {maxResults} for parameter 'max_results' supplied. It must be at most 50000.");
        }

        var clauses = ParseFilter(Str(json, "filter"));
        IEnumerable<FakeRun> runs = _runs.Values.Where(r => experimentIds.Contains(r.ExperimentId) && clauses.All(c => c(r)));

        var orderBy = (json["order_by"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        var ascending = false;
        if (orderBy.Count > 0)
        {
            var match = OrderByClause().Match(orderBy[0]);
            if (orderBy.Count > 1 || !match.Success)
            {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"FakeMLflowServer (a test double) orders only by one 'attributes.start_time [ASC|DESC]'; got '{string.Join(", ", orderBy)}'.");
            }

            ascending = !match.Groups[1].Value.Equals("DESC", StringComparison.OrdinalIgnoreCase);
        }

        // MLflow's default order: newest first, then run id.
        runs = ascending ? runs.OrderBy(r => r.StartTime) : runs.OrderByDescending(r => r.StartTime);
        var all = ((IOrderedEnumerable<FakeRun>)runs).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

        var offset = 0;
        if (Str(json, "page_token") is { } token)
        {
            offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        }

        var page = all.Skip(offset).Take(maxResults).ToList();
        var result = new JsonObject { ["runs"] = new JsonArray([.. page.Select(r => (JsonNode)RunJson(r, withData: true))]) };
        if (offset + page.Count < all.Count)
        {
            result["next_page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private JsonObject GetMetricHistory(string runId, string key)
    {
        var run = FindRunOrThrow(runId);
        return new JsonObject { ["metrics"] = new JsonArray([.. run.Metrics.Where(m => m.Key == key).Select(m => (JsonNode)MetricJson(m))]) };
    }

    private JsonObject CreateRegisteredModel(JsonObject json)
    {
        var name = Required(Str(json, "name"), "name");
        if (_registeredModels.ContainsKey(name))
        {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists.");
        }

        _registeredModels.Add(name, Str(json, "description"));
        return GetRegisteredModel(name);
    }

    private JsonObject GetRegisteredModel(string name)
    {
        if (!_registeredModels.TryGetValue(name, out var description))
        {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"Registered Model with name={name} not found");
        }

        var model = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            model["description"] = description;
        }

        return new JsonObject { ["registered_model"] = model };
    }

    private JsonObject CreateModelVersion(JsonObject json)
    {
        var name = Required(Str(json, "name"), "name");
        var source = Required(Str(json, "source"), "source");
        var runId = Str(json, "run_id");
        if (!_registeredModels.ContainsKey(name))
        {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"Registered Model with name={name} not found");
        }

        if (!SourceUri().IsMatch(source))
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Invalid model version source: '{source}'. A source must be a URI such as mlflow-artifacts:/1/run/artifacts/model.");
        }

        if (runId is not null)
        {
            FindRunOrThrow(runId);
        }

        var version = new FakeModelVersion(name, (_modelVersions.Count(v => v.Name == name) + 1).ToString(CultureInfo.InvariantCulture), source, runId);
        _modelVersions.Add(version);
        return new JsonObject { ["model_version"] = ModelVersionJson(version) };
    }

    // MLflow's GET model-versions/get?name=&version=: {model_version} or 404 RESOURCE_DOES_NOT_EXIST, as the
    // registry's SQL store answers for an unknown name or version.
    private JsonObject GetModelVersion(string name, string version)
    {
        var found = _modelVersions.Find(v => v.Name == name && v.Version == version)
            ?? throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"Model Version (name={name}, version={version}) not found");
        return new JsonObject { ["model_version"] = ModelVersionJson(found) };
    }

    private static JsonObject ModelVersionJson(FakeModelVersion version)
    {
        var result = new JsonObject { ["name"] = version.Name, ["version"] = version.Version, ["source"] = version.Source, ["status"] = "READY" };
        if (version.RunId is not null)
        {
            result["run_id"] = version.RunId;
        }

        return result;
    }

    private Answer PutArtifact(string path, byte[] body)
    {
        lock (_gate)
        {
            _artifacts[path] = body;
        }

        return Json(200, []);
    }

    private Answer GetArtifact(string path)
    {
        lock (_gate)
        {
            return _artifacts.TryGetValue(path, out var bytes)
                ? new Answer(200, "application/octet-stream", bytes)
                : Json(500, Error("INTERNAL_ERROR", $"No such file or directory: '{path}'"));
        }
    }

    private FakeRun FindRunOrThrow(string runId) =>
        _runs.GetValueOrDefault(runId) ?? throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", $"Run with id={runId} not found");

    private static List<Func<FakeRun, bool>> ParseFilter(string? filter)
    {
        var clauses = new List<Func<FakeRun, bool>>();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return clauses;
        }

        foreach (var text in AndSeparator().Split(filter.Trim()))
        {
            var match = FilterClause().Match(text.Trim());
            if (!match.Success)
            {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"FakeMLflowServer (a test double) supports only \"params.k = 'v'\", \"tags.k = 'v'\", \"attributes.status = 'v'\" and \"attributes.run_name = 'v'\" joined with AND; got '{text}'.");
            }

            var kind = match.Groups["kind"].Value.ToUpperInvariant();
            var key = match.Groups["key"].Value;
            var equal = match.Groups["op"].Value == "=";
            var value = match.Groups["value"].Value;
            Func<FakeRun, string?> read = kind switch
            {
                "PARAMS" or "PARAM" => r => r.Params.GetValueOrDefault(key),
                "TAGS" or "TAG" => r => r.Tags.GetValueOrDefault(key),
                _ when key == "status" => r => r.Status,
                _ when key == "run_name" => r => r.Name,
                _ => throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"FakeMLflowServer (a test double) does not filter on attribute '{key}'."),
            };
            clauses.Add(r => (read(r) == value) == equal);
        }

        return clauses;
    }

    private static JsonObject RunJson(FakeRun run, bool withData)
    {
        var json = new JsonObject { ["info"] = RunInfoJson(run) };
        if (withData)
        {
            json["data"] = new JsonObject
            {
                ["metrics"] = new JsonArray([.. run.Metrics.GroupBy(m => m.Key).Select(g => (JsonNode)MetricJson(g.MaxBy(m => (m.Step, m.Timestamp))!))]),
                ["params"] = new JsonArray([.. run.Params.Select(p => KeyValue(p.Key, p.Value))]),
                ["tags"] = new JsonArray([.. run.Tags.Select(t => KeyValue(t.Key, t.Value))]),
            };
        }

        return json;
    }

    private static JsonObject RunInfoJson(FakeRun run)
    {
        var info = new JsonObject
        {
            ["run_id"] = run.Id,
            ["run_uuid"] = run.Id,
            ["run_name"] = run.Name,
            ["experiment_id"] = run.ExperimentId,
            ["status"] = run.Status,
            ["start_time"] = run.StartTime,
            ["artifact_uri"] = $"mlflow-artifacts:/{run.ExperimentId}/{run.Id}/artifacts",
            ["lifecycle_stage"] = "active",
        };
        if (run.EndTime is { } end)
        {
            info["end_time"] = end;
        }

        return info;
    }

    // Protobuf's JSON writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity".
    private static JsonObject MetricJson(FakeMetric metric) => new()
    {
        ["key"] = metric.Key,
        ["value"] = double.IsFinite(metric.Value)
            ? JsonValue.Create(metric.Value)
            : JsonValue.Create(double.IsNaN(metric.Value) ? "NaN" : metric.Value > 0 ? "Infinity" : "-Infinity"),
        ["timestamp"] = metric.Timestamp,
        ["step"] = metric.Step,
    };

    private static double MetricValue(JsonObject metric, string key)
    {
        var node = metric["value"] ?? throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Metric '{key}' has no value.");
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            return node.GetValue<double>();
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var text => throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Metric '{key}' has value '{text}', which is not a number."),
            }
            : throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Metric '{key}' has a value that is not a number.");
    }

    private static void CheckKey(string key)
    {
        var segments = key.Split('/');
        if (key.Length > 250 || !KeyCharacters().IsMatch(key) || key.StartsWith('/') || segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Invalid name: '{key}'. Names may be at most 250 characters of alphanumerics, underscores, periods, dashes, spaces and slashes, and may not be or contain '..' or start with '/'.");
        }
    }

    private static void CheckLength(string what, string value, int limit)
    {
        if (value.Length > limit)
        {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"{what} '{value[..20]}...' had length {value.Length}, which exceeded length limit of {limit}");
        }
    }

    private static List<(string Key, string Value)> KeyValues(JsonObject json, string property) =>
        [.. (json[property] as JsonArray ?? []).Select(n => (Required(Str(n!.AsObject(), "key"), "key"), Str(n.AsObject(), "value") ?? string.Empty))];

    private static JsonObject KeyValue(string key, string value) => new() { ["key"] = key, ["value"] = value };

    private static string? Str(JsonObject json, string property) =>
        json[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static long? Long(JsonObject json, string property) => json[property] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => long.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ApiError(400, "INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'.") : value;

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["message"] = message };

    private static Answer Json(int status, JsonObject body) => new(status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()));

    // Flask's own pages for unknown routes and wrong methods: HTML, not MLflow JSON.
    private static Answer Html(int status) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(status == 404
        ? "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n"
        : "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"));

    [GeneratedRegex(@"^[/\w.\- ]+$")]
    private static partial Regex KeyCharacters();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:")]
    private static partial Regex SourceUri();

    [GeneratedRegex(@"\s+AND\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^(?:(?<kind>params?|tags?|attributes?|attr)\.)?(?<q>`?)(?<key>[^`=!]+?)\k<q>\s*(?<op>!=|=)\s*'(?<value>[^']*)'$", RegexOptions.IgnoreCase)]
    private static partial Regex FilterClause();

    [GeneratedRegex(@"^(?:attributes\.)?start_time(?:\s+(ASC|DESC))?$", RegexOptions.IgnoreCase)]
    private static partial Regex OrderByClause();

    private sealed record Answer(int Status, string ContentType, byte[] Body);

    private sealed class ApiError(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}
