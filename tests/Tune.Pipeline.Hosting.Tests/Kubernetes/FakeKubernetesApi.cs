using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tune.Pipeline.Hosting.Tests.Kubernetes;

/// <summary>
/// A stand-in for a Kubernetes API server, because none can run here (no kube-apiserver, kind or k3s in Debian, npm or
/// NuGet): an HttpListener on 127.0.0.1 that speaks the REST paths, verbs and status codes the official client uses for
/// Jobs, Secrets and Pods (kubernetes.io/docs/reference/kubernetes-api/), and validates what it is sent the way the
/// API server does for batch/v1 Job and v1 Secret: required fields, names, labels, enums (completionMode,
/// restartPolicy), quantities, env sources. A refusal is a Status object with the code the server would send
/// (404 NotFound, 409 AlreadyExists, 422 Invalid).
/// </summary>
internal sealed partial class FakeKubernetesApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Ns, string Name), JsonObject> _jobs = [];
    private readonly Dictionary<(string Ns, string Name), JsonObject> _secrets = [];
    private readonly List<string> _requests = [];
    private readonly List<JsonObject> _pods = [];
    private readonly Task _serving;
    private int _uid;

    public FakeKubernetesApi()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Gets the namespaces that exist; a request for another answers 404 as the server does.</summary>
    public HashSet<string> Namespaces { get; } = ["default", "tune"];

    /// <summary>Gets every request so far as "VERB /path?query", in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyDictionary<(string Ns, string Name), JsonObject> Jobs
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<(string, string), JsonObject>(_jobs);
            }
        }
    }

    public IReadOnlyDictionary<(string Ns, string Name), JsonObject> Secrets
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<(string, string), JsonObject>(_secrets);
            }
        }
    }

    /// <summary>Adds a pod to the pod list, as the test sets it (the fake runs no kubelet).</summary>
    public void AddPod(JsonObject pod)
    {
        lock (_lock)
        {
            _pods.Add(pod);
        }
    }

    /// <summary>Sets a Job's status as the Job controller would.</summary>
    public void SetJobStatus(string ns, string name, JsonObject status)
    {
        lock (_lock)
        {
            _jobs[(ns, name)]["status"] = status;
        }
    }

    /// <summary>Adds a Job as a controller that died would have left it.</summary>
    public void AddJob(string ns, JsonObject job)
    {
        lock (_lock)
        {
            _jobs[(ns, job["metadata"]!["name"]!.GetValue<string>())] = job;
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Each request on its own: a client that hangs up mid-answer (a watcher cancelled) must not stop the server.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var request = context.Request;
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var (code, answer) = Handle(request.HttpMethod, request.Url!.AbsolutePath, request.QueryString, body);
            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            context.Response.StatusCode = code;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private (int Code, JsonNode Answer) Handle(string verb, string path, System.Collections.Specialized.NameValueCollection query, string body)
    {
        lock (_lock)
        {
            _requests.Add($"{verb} {path}{(query.Count > 0 ? "?" + string.Join("&", query.AllKeys.Select(k => $"{k}={query[k]}")) : string.Empty)}");
            var match = Route().Match(path);
            if (!match.Success)
            {
                return Status(404, "NotFound", $"the server could not find the requested resource ({verb} {path})");
            }

            var ns = match.Groups["ns"].Value;
            var kind = match.Groups["kind"].Value;
            var name = match.Groups["name"].Success ? match.Groups["name"].Value : null;
            if (!Namespaces.Contains(ns))
            {
                return Status(404, "NotFound", $"namespaces \"{ns}\" not found");
            }

            var store = kind switch { "jobs" => _jobs, "secrets" => _secrets, _ => null };
            return (verb, kind, name) switch
            {
                ("POST", "jobs" or "secrets", null) => Create(ns, kind, store!, body),
                ("GET", "pods", null) => (200, List("PodList", "v1", _pods.Where(p => Selects(query["labelSelector"], p)))),
                ("GET", _, null) => (200, List(kind == "jobs" ? "JobList" : "SecretList", kind == "jobs" ? "batch/v1" : "v1", store!.Where(e => e.Key.Ns == ns).Select(e => e.Value).Where(o => Selects(query["labelSelector"], o)))),
                ("GET", "jobs", _) when store!.TryGetValue((ns, name!), out var found) => (200, found.DeepClone()),
                ("DELETE", "jobs" or "secrets", _) when store!.Remove((ns, name!)) => (200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success", ["code"] = 200 }),
                _ => Status(404, "NotFound", $"{kind} \"{name}\" not found"),
            };
        }
    }

    private (int, JsonNode) Create(string ns, string kind, Dictionary<(string Ns, string Name), JsonObject> store, string body)
    {
        var item = JsonNode.Parse(body)!.AsObject();
        var problems = kind == "jobs" ? JobSchema.Problems(item) : JobSchema.SecretProblems(item);
        if (problems.Count > 0)
        {
            return Status(422, "Invalid", $"{(kind == "jobs" ? "Job" : "Secret")} \"{item["metadata"]?["name"]}\" is invalid: {string.Join(", ", problems)}");
        }

        var name = item["metadata"]!["name"]!.GetValue<string>();
        if (item["metadata"]?["namespace"] is { } given && given.GetValue<string>() != ns)
        {
            return Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        if (store.ContainsKey((ns, name)))
        {
            return Status(409, "AlreadyExists", $"{kind} \"{name}\" already exists");
        }

        item["metadata"]!["namespace"] = ns;
        item["metadata"]!["uid"] = $"uid-{++_uid}";
        if (kind == "jobs")
        {
            item["status"] = new JsonObject();
        }

        store[(ns, name)] = item;
        return (201, item.DeepClone());
    }

    // "a=b,c=d": every pair must be among the object's labels (the equality-based selectors the launcher sends).
    private static bool Selects(string? selector, JsonObject item)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = item["metadata"]?["labels"]?.AsObject();
        return selector.Split(',').All(pair =>
        {
            var parts = pair.Split('=', 2);
            return labels?[parts[0]]?.GetValue<string>() == parts[1];
        });
    }

    private static JsonObject List(string kind, string apiVersion, IEnumerable<JsonObject> items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = apiVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]),
    };

    private static (int, JsonNode) Status(int code, string reason, string message) => (code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });

    [GeneratedRegex("^/(?:api/v1|apis/batch/v1)/namespaces/(?<ns>[^/]+)/(?<kind>jobs|secrets|pods)(?:/(?<name>[^/]+)(?:/status)?)?$")]
    private static partial Regex Route();
}
