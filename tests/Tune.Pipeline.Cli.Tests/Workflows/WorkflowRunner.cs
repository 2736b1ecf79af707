using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Tune.Pipeline.Cli.Tests.Workflows;

/// <summary>What a workflow run did: each job's result, each step's outcome, the job summary and the log.</summary>
internal sealed record WorkflowRun(long RunId, Dictionary<string, string> Jobs, List<(string Job, string Step, string Outcome)> Steps, string StepSummary, string Log);

/// <summary>
/// Runs a GitHub Actions workflow's jobs on this machine, as a runner would: jobs in order (each after the jobs it
/// needs), each job's <c>if:</c>, every step's <c>run:</c> script with bash <c>-eo pipefail</c> in the workspace, with
/// the variables a runner sets (<c>GITHUB_WORKSPACE</c>, <c>GITHUB_STEP_SUMMARY</c>, <c>GITHUB_OUTPUT</c>,
/// <c>GITHUB_ENV</c>, <c>GITHUB_SHA</c>, <c>GITHUB_REF</c>, <c>GITHUB_EVENT_NAME</c>, <c>RUNNER_TEMP</c>, ...), the
/// workflow's, job's and step's <c>env:</c>, and <c>${{ }}</c> expressions (<see cref="WorkflowExpression"/>) read from
/// the documented contexts below; a step fails its job, and later steps run only when their <c>if:</c> says so.
/// </summary>
/// <remarks>
/// <para>Contexts: <c>github</c> (run_id, sha, ref, event_name, repository, workspace, token, server_url and the
/// pull-request fields of <see cref="PullRequest"/>), <c>inputs</c>, <c>vars</c>, <c>secrets</c> (as given; unknown
/// ones are empty, as on GitHub), <c>env</c>, <c>steps.ID.outputs</c>, and <c>job.services.postgres.ports</c>.</para>
/// <para>EMULATED, minimally, because they are GitHub's own code or need GitHub's API: <c>actions/checkout</c> (the
/// workspace already is a copy of this repository's working tree), <c>actions/setup-dotnet</c> (runs
/// <c>dotnet --version</c> in the workspace: the SDK global.json asks for must be installed), <c>actions/upload-artifact</c>
/// and <c>actions/download-artifact</c> (a folder per run and artifact name under <see cref="ArtifactStore"/>, so one
/// workflow's upload is another's download), <c>actions/github-script</c> (only the steps <see cref="Scripts"/> names,
/// with the outputs given there). The <c>postgres</c> service container is replaced by the server
/// <c>TUNE_TEST_POSTGRES</c> names (the one <c>.ci/run</c> starts): its <c>POSTGRES_DB</c> is created there and its
/// port is that server's. Any other action or service fails the job.</para>
/// </remarks>
internal sealed class WorkflowRunner(string workspace, string artifactStore, string postgres)
{
    public string ArtifactStore { get; } = artifactStore;

    public Dictionary<string, string> Inputs { get; init; } = [];

    public Dictionary<string, string> Vars { get; init; } = [];

    public Dictionary<string, string> Secrets { get; init; } = [];

    /// <summary>Gets the github-script steps (by step id) and the outputs they set.</summary>
    public Dictionary<string, Func<Dictionary<string, string>>> Scripts { get; init; } = [];

    /// <summary>Gets the steps not to run, by their <c>run:</c> text, with the reason the run records.</summary>
    public Dictionary<string, string> NotRun { get; init; } = [];

    public string EventName { get; init; } = "push";

    public string Ref { get; init; } = "refs/heads/main";

    public string Sha { get; init; } = "0123456789abcdef0123456789abcdef01234567";

    public (int Number, string HeadRepository)? PullRequest { get; init; }

    /// <summary>The databases this runner created for the <c>postgres</c> service, dropped by <see cref="DropDatabasesAsync"/>.</summary>
    private readonly List<string> _databases = [];

    public async Task<WorkflowRun> RunAsync(string workflowFile, long runId, CancellationToken cancellationToken)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(workspace, workflowFile)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var log = new StringBuilder();
        var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new List<(string, string, string)>();
        var summary = new StringBuilder();
        var runnerTemp = Directory.CreateTempSubdirectory("tune-runner-temp-").FullName;
        try
        {
            var workflowEnv = new Dictionary<string, string>(StringComparer.Ordinal);
            Evaluate(Map(root, "env"), workflowEnv, Lookup(runId, workflowEnv, [], null), static _ => true);
            foreach (var (jobNode, jobBody) in Map(root, "jobs")!.Children)
            {
                var job = Scalar(jobNode)!;
                var body = (YamlMappingNode)jobBody;
                var needs = Node(body, "needs") switch
                {
                    YamlScalarNode one => [one.Value!],
                    YamlSequenceNode many => many.Children.Select(Scalar).ToList(),
                    _ => new List<string?>(),
                };
                var needsSucceeded = needs.All(n => jobs.GetValueOrDefault(n!) == "success");
                bool JobStatus(string name) => name switch { "always" => true, "success" => needsSucceeded, "failure" => !needsSucceeded, _ => false };
                var jobIf = Scalar(Node(body, "if"));
                var runIt = jobIf is null ? needsSucceeded : WorkflowExpression.Condition(jobIf, Lookup(runId, workflowEnv, [], null), JobStatus) && (WorkflowExpression.NamesStatus(jobIf) || needsSucceeded);
                if (!runIt)
                {
                    jobs[job] = "skipped";
                    log.AppendLine(CultureInfo.InvariantCulture, $"== job {job}: skipped ({jobIf ?? "a job it needs did not succeed"})");
                    continue;
                }

                var port = await StartServicesAsync(Map(body, "services"), runId, workflowEnv, cancellationToken);
                var jobEnv = new Dictionary<string, string>(workflowEnv, StringComparer.Ordinal);
                var outputs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
                Evaluate(Map(body, "env"), jobEnv, Lookup(runId, jobEnv, outputs, port), static _ => true);
                var failed = false;
                var index = 0;
                foreach (var stepNode in ((YamlSequenceNode)Node(body, "steps")!).Children.Cast<YamlMappingNode>())
                {
                    index++;
                    var id = Scalar(Node(stepNode, "id")) ?? $"step{index}";
                    var name = Scalar(Node(stepNode, "name")) ?? Scalar(Node(stepNode, "uses")) ?? Scalar(Node(stepNode, "run"))!.Split('\n')[0];
                    bool StepStatus(string status) => status switch { "always" => true, "success" => !failed, "failure" => failed, _ => false };
                    var stepEnv = new Dictionary<string, string>(jobEnv, StringComparer.Ordinal);
                    var lookup = Lookup(runId, stepEnv, outputs, port);
                    var stepIf = Scalar(Node(stepNode, "if"));
                    if (!(stepIf is null ? !failed : WorkflowExpression.Condition(stepIf, lookup, StepStatus) && (WorkflowExpression.NamesStatus(stepIf) || !failed)))
                    {
                        steps.Add((job, name, "skipped"));
                        continue;
                    }

                    Evaluate(Map(stepNode, "env"), stepEnv, lookup, StepStatus);
                    var with = new Dictionary<string, string>(StringComparer.Ordinal);
                    Evaluate(Map(stepNode, "with"), with, lookup, StepStatus);
                    log.AppendLine(CultureInfo.InvariantCulture, $"== {job} / {name}");
                    var (outcome, stepOutputs, exported) = Scalar(Node(stepNode, "run")) is { } script
                        ? await RunScriptAsync(WorkflowExpression.Substitute(script, lookup, StepStatus), Scalar(Node(stepNode, "working-directory")), stepEnv, runId, job, summary, runnerTemp, log, cancellationToken)
                        : await UseAsync(Scalar(Node(stepNode, "uses"))!, id, with, runId, log, cancellationToken);
                    outputs[id] = stepOutputs;
                    foreach (var (key, value) in exported)
                    {
                        jobEnv[key] = value;
                    }

                    steps.Add((job, name, outcome));
                    failed |= outcome == "failure";
                }

                jobs[job] = failed ? "failure" : "success";
            }

            return new WorkflowRun(runId, jobs, steps, summary.ToString(), log.ToString());
        }
        finally
        {
            Directory.Delete(runnerTemp, recursive: true);
        }
    }

    public async Task DropDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        foreach (var database in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<string?> StartServicesAsync(YamlMappingNode? services, long runId, Dictionary<string, string> env, CancellationToken cancellationToken)
    {
        if (services is null)
        {
            return null;
        }

        string? port = null;
        foreach (var (nameNode, service) in services.Children)
        {
            if (Scalar(nameNode) != "postgres")
            {
                throw new InvalidOperationException($"Service '{Scalar(nameNode)}' has no stand-in here; only postgres (TUNE_TEST_POSTGRES) does.");
            }

            var serviceEnv = new Dictionary<string, string>(StringComparer.Ordinal);
            Evaluate(Map((YamlMappingNode)service, "env"), serviceEnv, Lookup(runId, env, [], null), static _ => true);
            var database = serviceEnv.GetValueOrDefault("POSTGRES_DB", "postgres");
            if (database != "postgres")
            {
                await using var connection = new NpgsqlConnection(postgres);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
                _databases.Add(database);
            }

            port = new NpgsqlConnectionStringBuilder(postgres).Port.ToString(CultureInfo.InvariantCulture);
        }

        return port;
    }

    private async Task<(string Outcome, Dictionary<string, string> Outputs, Dictionary<string, string> Env)> RunScriptAsync(
        string script, string? workingDirectory, Dictionary<string, string> env, long runId, string job, StringBuilder summary, string runnerTemp, StringBuilder log, CancellationToken cancellationToken)
    {
        if (NotRun.TryGetValue(script.Trim(), out var reason))
        {
            log.AppendLine(CultureInfo.InvariantCulture, $"   not run: {reason}");
            return ("not run", [], []);
        }

        var files = Directory.CreateDirectory(Path.Combine(runnerTemp, "step-" + Guid.NewGuid().ToString("N"))).FullName;
        var scriptFile = Path.Combine(files, "step.sh");
        await File.WriteAllTextAsync(scriptFile, script, cancellationToken);
        var outputFile = Path.Combine(files, "output");
        var envFile = Path.Combine(files, "env");
        var summaryFile = Path.Combine(files, "summary");
        foreach (var file in new[] { outputFile, envFile, summaryFile })
        {
            await File.WriteAllTextAsync(file, string.Empty, cancellationToken);
        }

        var info = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory is null ? workspace : Path.Combine(workspace, workingDirectory), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--noprofile", "--norc", "-eo", "pipefail", scriptFile })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("RUNNER_", StringComparison.Ordinal) || k is "AZURE_STORAGE_CONNECTION_STRING" || k.StartsWith("MLFLOW_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in RunnerVariables(runId, job, runnerTemp).Concat(env))
        {
            info.Environment[name] = value;
        }

        info.Environment["GITHUB_OUTPUT"] = outputFile;
        info.Environment["GITHUB_ENV"] = envFile;
        info.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        log.Append(await output).Append(await error).AppendLine(CultureInfo.InvariantCulture, $"   exit code {process.ExitCode}");
        summary.Append(await File.ReadAllTextAsync(summaryFile, cancellationToken));
        return (process.ExitCode == 0 ? "success" : "failure", ReadKeyValues(await File.ReadAllTextAsync(outputFile, cancellationToken)), ReadKeyValues(await File.ReadAllTextAsync(envFile, cancellationToken)));
    }

    private async Task<(string Outcome, Dictionary<string, string> Outputs, Dictionary<string, string> Env)> UseAsync(
        string action, string id, Dictionary<string, string> with, long runId, StringBuilder log, CancellationToken cancellationToken)
    {
        var name = action.Split('@')[0];
        switch (name)
        {
            case "actions/checkout":
                log.AppendLine("   emulated: the workspace is a copy of this repository's working tree");
                return ("success", [], []);
            case "actions/setup-dotnet":
                var info = new ProcessStartInfo("dotnet", "--version") { WorkingDirectory = workspace, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                using (var process = Process.Start(info)!)
                {
                    var version = await process.StandardOutput.ReadToEndAsync(cancellationToken);
                    await process.WaitForExitAsync(cancellationToken);
                    log.AppendLine(CultureInfo.InvariantCulture, $"   emulated: the installed SDK {version.Trim()} serves {with.GetValueOrDefault("global-json-file", "global.json")}");
                    return (process.ExitCode == 0 ? "success" : "failure", [], []);
                }

            case "actions/upload-artifact":
                var source = Path.Combine(workspace, with["path"]);
                var target = Path.Combine(ArtifactStore, runId.ToString(CultureInfo.InvariantCulture), with["name"]);
                if (!Directory.Exists(source) && !File.Exists(source))
                {
                    log.AppendLine(CultureInfo.InvariantCulture, $"   emulated upload: nothing at {with["path"]}");
                    return (with.GetValueOrDefault("if-no-files-found") == "error" ? "failure" : "success", [], []);
                }

                Copy(source, target);
                log.AppendLine(CultureInfo.InvariantCulture, $"   emulated upload: {with["path"]} as artifact {with["name"]}");
                return ("success", [], []);
            case "actions/download-artifact":
                var run = with.TryGetValue("run-id", out var other) && other.Length > 0 ? other : runId.ToString(CultureInfo.InvariantCulture);
                var stored = Path.Combine(ArtifactStore, run, with["name"]);
                if (!Directory.Exists(stored))
                {
                    log.AppendLine(CultureInfo.InvariantCulture, $"   emulated download: run {run} has no artifact {with["name"]}");
                    return ("failure", [], []);
                }

                Copy(stored, Path.Combine(workspace, with.GetValueOrDefault("path", ".")));
                log.AppendLine(CultureInfo.InvariantCulture, $"   emulated download: artifact {with["name"]} of run {run}");
                return ("success", [], []);
            case "actions/github-script" when Scripts.TryGetValue(id, out var script):
                log.AppendLine(CultureInfo.InvariantCulture, $"   emulated github-script '{id}' (GitHub's API is out of reach)");
                return ("success", script(), []);
            default:
                throw new InvalidOperationException($"Step '{id}' uses {action}, which this runner does not emulate.");
        }
    }

    private Func<string, object?> Lookup(long runId, Dictionary<string, string> env, Dictionary<string, Dictionary<string, string>> outputs, string? postgresPort) => name =>
    {
        var parts = name.Split('.');
        return parts[0] switch
        {
            "github" => Github(runId, string.Join('.', parts[1..])),
            "inputs" => Inputs.GetValueOrDefault(parts[1]),
            "vars" => Vars.GetValueOrDefault(parts[1]),
            "secrets" => Secrets.GetValueOrDefault(parts[1]),
            "env" => env.GetValueOrDefault(parts[1]),
            "steps" when parts is [_, var step, "outputs", var output] => outputs.GetValueOrDefault(step)?.GetValueOrDefault(output),
            "job" when parts is ["job", "services", "postgres", "ports", "5432"] => postgresPort ?? throw new InvalidOperationException("job.services.postgres.ports in a job without the postgres service."),
            _ => throw new InvalidOperationException($"Expression context '{name}' is not one this runner provides."),
        };
    };

    private string Github(long runId, string field) => field switch
    {
        "run_id" => runId.ToString(CultureInfo.InvariantCulture),
        "sha" => Sha,
        "ref" => Ref,
        "event_name" => EventName,
        "repository" => "tune-pipeline/tune-pipeline",
        "workspace" => workspace,
        "token" => "emulated-token",
        "server_url" => "https://github.com",
        "event.pull_request.number" => PullRequest?.Number.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        "event.pull_request.head.repo.full_name" => PullRequest?.HeadRepository ?? string.Empty,
        _ => throw new InvalidOperationException($"github.{field} is not a field this runner provides."),
    };

    private Dictionary<string, string> RunnerVariables(long runId, string job, string runnerTemp) => new Dictionary<string, string>
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_WORKSPACE"] = workspace,
        ["GITHUB_SHA"] = Sha,
        ["GITHUB_REF"] = Ref,
        ["GITHUB_EVENT_NAME"] = EventName,
        ["GITHUB_REPOSITORY"] = "tune-pipeline/tune-pipeline",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_RUN_ID"] = runId.ToString(CultureInfo.InvariantCulture),
        ["GITHUB_JOB"] = job,
        ["RUNNER_OS"] = "Linux",
        ["RUNNER_TEMP"] = runnerTemp,
    };

    private static void Evaluate(YamlMappingNode? map, Dictionary<string, string> into, Func<string, object?> lookup, Func<string, bool> status)
    {
        if (map is null)
        {
            return;
        }

        foreach (var (key, value) in map.Children)
        {
            into[Scalar(key)!] = WorkflowExpression.Substitute(Scalar(value) ?? string.Empty, lookup, status);
        }
    }

    // name=value lines and name<<DELIMITER blocks, as GITHUB_OUTPUT and GITHUB_ENV hold them.
    private static Dictionary<string, string> ReadKeyValues(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.IndexOf("<<", StringComparison.Ordinal) is var heredoc and > 0 && !line[..heredoc].Contains('=', StringComparison.Ordinal))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                while (++i < lines.Length && lines[i].TrimEnd('\r') != delimiter)
                {
                    value.Add(lines[i].TrimEnd('\r'));
                }

                result[line[..heredoc]] = string.Join('\n', value);
            }
            else if (line.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                result[line[..equals]] = line[(equals + 1)..];
            }
        }

        return result;
    }

    private static void Copy(string source, string target)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(target);
            File.Copy(source, Path.Combine(target, Path.GetFileName(source)), overwrite: true);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static YamlMappingNode? Map(YamlMappingNode map, string key) => Node(map, key) as YamlMappingNode;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
