using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Tracking.MLflow.Wire;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Turns a batch of any size into <c>runs/log-batch</c> requests within the server's limits: keys checked, params
/// de-duplicated (and refused when one key has two values), tags de-duplicated (last value wins), oversize values
/// refused or truncated, then params, tags and metrics packed in order, each request under 1000 metrics, 100 params,
/// 100 tags, 1000 entities and 1 MB.
/// </summary>
internal static class BatchSplitter
{
    public static (IReadOnlyList<LogBatchRequest> Requests, IReadOnlyList<string> Warnings) Split(
        string runId, MLflowBatch batch, OversizeValuePolicy policy, int maxTagValueLength)
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var parameters = new List<WireKeyValue>();
        var paramValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var param in batch.Params)
        {
            if (MLflowLimits.CheckKey("param", param.Key) is { } keyProblem)
            {
                problems.Add(keyProblem);
                continue;
            }

            var value = Fit("Param", param.Key, param.Value ?? string.Empty, MLflowLimits.MaxParamValueLength, runId, policy, problems, warnings);
            if (paramValues.TryGetValue(param.Key, out var earlier))
            {
                if (!string.Equals(earlier, value, StringComparison.Ordinal))
                {
                    problems.Add($"Param '{param.Key}' is given twice with different values; MLflow refuses to change a param. Log one value.");
                }

                continue;
            }

            paramValues.Add(param.Key, value);
            parameters.Add(new WireKeyValue(param.Key, value));
        }

        var tagIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var tags = new List<WireKeyValue>();
        foreach (var tag in batch.Tags)
        {
            if (MLflowLimits.CheckKey("tag", tag.Key) is { } keyProblem)
            {
                problems.Add(keyProblem);
                continue;
            }

            var wire = new WireKeyValue(tag.Key, Fit("Tag", tag.Key, tag.Value ?? string.Empty, maxTagValueLength, runId, policy, problems, warnings));
            if (tagIndex.TryGetValue(tag.Key, out var index))
            {
                tags[index] = wire;
            }
            else
            {
                tagIndex.Add(tag.Key, tags.Count);
                tags.Add(wire);
            }
        }

        var metrics = new List<WireMetric>(batch.Metrics.Count);
        var badMetricKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in batch.Metrics)
        {
            if (MLflowLimits.CheckKey("metric", metric.Key) is { } keyProblem)
            {
                // One sentence per bad key, not per value.
                if (badMetricKeys.Add(metric.Key))
                {
                    problems.Add(keyProblem);
                }

                continue;
            }

            metrics.Add(new WireMetric(metric.Key, metric.Value, metric.Timestamp.ToUnixTimeMilliseconds(), metric.Step));
        }

        if (problems.Count > 0)
        {
            throw new MLflowValidationException(problems);
        }

        return (Pack(runId, parameters, tags, metrics), warnings);
    }

    private static string Fit(string kind, string key, string value, int limit, string runId, OversizeValuePolicy policy, List<string> problems, List<string> warnings)
    {
        if (value.Length <= limit)
        {
            return value;
        }

        if (policy == OversizeValuePolicy.Truncate)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} '{key}' of run '{runId}' has {value.Length} characters; MLflow keeps at most {limit}, so it was truncated to {limit}."));
            return MLflowLimits.Truncate(value, limit);
        }

        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} '{key}' of run '{runId}' has {value.Length} characters; MLflow keeps at most {limit}. Shorten it, or set OversizeValues to Truncate."));
        return value;
    }

    private static List<LogBatchRequest> Pack(string runId, List<WireKeyValue> parameters, List<WireKeyValue> tags, List<WireMetric> metrics)
    {
        var context = MLflowJsonContext.Default;
        var overhead = JsonSerializer.SerializeToUtf8Bytes(new LogBatchRequest(runId, [], [], []), context.LogBatchRequest).Length;
        var requests = new List<LogBatchRequest>();

        var currentParams = new List<WireKeyValue>();
        var currentTags = new List<WireKeyValue>();
        var currentMetrics = new List<WireMetric>();
        var bytes = overhead;

        void Flush()
        {
            if (currentParams.Count + currentTags.Count + currentMetrics.Count == 0)
            {
                return;
            }

            requests.Add(new LogBatchRequest(runId, currentMetrics, currentParams, currentTags));
            currentParams = [];
            currentTags = [];
            currentMetrics = [];
            bytes = overhead;
        }

        bool Fits(int size, bool underKindLimit) =>
            underKindLimit
            && currentParams.Count + currentTags.Count + currentMetrics.Count < MLflowLimits.MaxEntitiesPerBatch
            && bytes + size <= MLflowLimits.MaxBatchBytes;

        // Each entity costs its own JSON plus the comma before it.
        foreach (var param in parameters)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(param, context.WireKeyValue).Length + 1;
            if (!Fits(size, currentParams.Count < MLflowLimits.MaxParamsPerBatch))
            {
                Flush();
            }

            currentParams.Add(param);
            bytes += size;
        }

        foreach (var tag in tags)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(tag, context.WireKeyValue).Length + 1;
            if (!Fits(size, currentTags.Count < MLflowLimits.MaxTagsPerBatch))
            {
                Flush();
            }

            currentTags.Add(tag);
            bytes += size;
        }

        foreach (var metric in metrics)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(metric, context.WireMetric).Length + 1;
            if (!Fits(size, currentMetrics.Count < MLflowLimits.MaxMetricsPerBatch))
            {
                Flush();
            }

            currentMetrics.Add(metric);
            bytes += size;
        }

        Flush();
        return requests;
    }
}
