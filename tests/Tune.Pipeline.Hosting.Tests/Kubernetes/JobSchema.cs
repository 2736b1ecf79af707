using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tune.Pipeline.Hosting.Tests.Kubernetes;

/// <summary>
/// The API server's validation of a batch/v1 Job and a v1 Secret, as far as what the launcher sends reaches: the
/// required fields and enums of the Job API reference (kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/),
/// RFC 1123 names, label syntax, quantities, and env var sources.
/// </summary>
internal static partial class JobSchema
{
    public static List<string> Problems(JsonObject job)
    {
        var problems = new List<string>();
        Require(job["apiVersion"]?.GetValue<string>() == "batch/v1", "apiVersion: Required value: must be batch/v1");
        Require(job["kind"]?.GetValue<string>() == "Job", "kind: Required value: must be Job");
        Metadata(job["metadata"] as JsonObject, "metadata", label: true);
        var spec = job["spec"] as JsonObject;
        if (spec is null)
        {
            problems.Add("spec: Required value");
            return problems;
        }

        var mode = spec["completionMode"]?.GetValue<string>() ?? "NonIndexed";
        Require(mode is "NonIndexed" or "Indexed", $"spec.completionMode: Unsupported value: \"{mode}\": supported values: \"NonIndexed\", \"Indexed\"");
        Require(mode != "Indexed" || spec["completions"] is not null, "spec.completions: Required value: when completion mode is Indexed");
        foreach (var field in (string[])["parallelism", "completions", "backoffLimit"])
        {
            Require(spec[field] is null || spec[field]!.GetValue<int>() >= 0, $"spec.{field}: Invalid value: must be greater than or equal to 0");
        }

        Require(spec["selector"] is null || spec["manualSelector"]?.GetValue<bool>() == true, "spec.selector: Invalid value: `selector` will be auto-generated");
        var template = spec["template"] as JsonObject;
        Metadata(template?["metadata"] as JsonObject, "spec.template.metadata", label: false, nameRequired: false);
        var pod = template?["spec"] as JsonObject;
        if (pod is null)
        {
            problems.Add("spec.template.spec: Required value");
            return problems;
        }

        var restart = pod["restartPolicy"]?.GetValue<string>() ?? "Always";
        Require(restart is "Never" or "OnFailure", $"spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\" (was \"{restart}\")");
        var containers = pod["containers"] as JsonArray;
        Require(containers is { Count: > 0 }, "spec.template.spec.containers: Required value");
        foreach (var (container, i) in (containers ?? []).Select((c, i) => (c!.AsObject(), i)))
        {
            var at = $"spec.template.spec.containers[{i}]";
            Require(container["name"]?.GetValue<string>() is { } name && DnsLabel().IsMatch(name), $"{at}.name: Required value: a DNS-1123 label");
            Require(container["image"]?.GetValue<string>() is { Length: > 0 }, $"{at}.image: Required value");
            foreach (var (env, j) in ((container["env"] as JsonArray) ?? []).Select((e, j) => (e!.AsObject(), j)))
            {
                Require(env["name"]?.GetValue<string>() is { Length: > 0 }, $"{at}.env[{j}].name: Required value");
                Require(env["value"] is null || env["valueFrom"] is null, $"{at}.env[{j}].valueFrom: Invalid value: may not be specified when `value` is not empty");
                if (env["valueFrom"]?["secretKeyRef"] is JsonObject reference)
                {
                    Require(reference["name"]?.GetValue<string>() is { Length: > 0 } && reference["key"]?.GetValue<string>() is { Length: > 0 }, $"{at}.env[{j}].valueFrom.secretKeyRef: Required value: name and key");
                }
            }

            var resources = container["resources"] as JsonObject;
            foreach (var part in (string[])["requests", "limits"])
            {
                foreach (var (resource, quantity) in (resources?[part] as JsonObject) ?? [])
                {
                    Require(Quantity().IsMatch(quantity!.GetValue<string>()), $"{at}.resources.{part}[{resource}]: Invalid value: \"{quantity}\": must match the regex of a quantity");
                }
            }

            // Extended resources such as nvidia.com/gpu cannot be overcommitted: a request must equal the limit.
            if (resources?["requests"]?["nvidia.com/gpu"] is { } gpuRequest)
            {
                Require(resources["limits"]?["nvidia.com/gpu"]?.GetValue<string>() == gpuRequest.GetValue<string>(), $"{at}.resources.requests[nvidia.com/gpu]: Invalid value: must be equal to nvidia.com/gpu limit");
            }
        }

        return problems;

        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        void Metadata(JsonObject? metadata, string at, bool label, bool nameRequired = true)
        {
            var name = metadata?["name"]?.GetValue<string>();
            if (nameRequired)
            {
                Require(name is not null && (label ? DnsLabel().IsMatch(name) && name.Length <= 63 : DnsSubdomain().IsMatch(name) && name.Length <= 253), $"{at}.name: Invalid value: \"{name}\": a lowercase RFC 1123 {(label ? "label" : "subdomain")}");
            }

            foreach (var (key, value) in (metadata?["labels"] as JsonObject) ?? [])
            {
                var text = value!.GetValue<string>();
                Require(LabelKey().IsMatch(key) && text.Length <= 63 && (text.Length == 0 || LabelValue().IsMatch(text)), $"{at}.labels: Invalid value: \"{key}={text}\"");
            }
        }
    }

    public static List<string> SecretProblems(JsonObject secret)
    {
        var problems = new List<string>();
        if (secret["apiVersion"]?.GetValue<string>() != "v1" || secret["kind"]?.GetValue<string>() != "Secret")
        {
            problems.Add("apiVersion/kind: must be v1 Secret");
        }

        var name = secret["metadata"]?["name"]?.GetValue<string>();
        if (name is null || !DnsSubdomain().IsMatch(name) || name.Length > 253)
        {
            problems.Add($"metadata.name: Invalid value: \"{name}\"");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")]
    private static partial Regex Quantity();
}
