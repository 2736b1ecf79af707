using System.Text.Json;
using Tune.Pipeline.Tracking.MLflow.Wire;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

public sealed class BatchSplitterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Split_EmptyBatch_ReturnsNoRequest()
    {
        var (requests, _) = BatchSplitter.Split("run", new MLflowBatch(), OversizeValuePolicy.Refuse, 5000);

        Assert.Empty(requests);
    }

    [Fact]
    public void Split_100Params100TagsAnd900Metrics_KeepsEachRequestAt1000Entities()
    {
        var batch = new MLflowBatch
        {
            Params = [.. Enumerable.Range(0, 100).Select(i => new MLflowParam($"p{i}", "v"))],
            Tags = [.. Enumerable.Range(0, 100).Select(i => new MLflowTag($"t{i}", "v"))],
            Metrics = [.. Enumerable.Range(0, 900).Select(i => new MLflowMetric("m", i, Now, i))],
        };

        var (requests, _) = BatchSplitter.Split("run", batch, OversizeValuePolicy.Refuse, 5000);

        Assert.Equal([(100, 100, 800), (0, 0, 100)], requests.Select(r => (r.Params.Count, r.Tags.Count, r.Metrics.Count)));
    }

    [Fact]
    public void Split_LongNonAsciiValues_KeepsEveryRequestBelowOneMegabyte()
    {
        var batch = new MLflowBatch
        {
            Params = [.. Enumerable.Range(0, 150).Select(i => new MLflowParam($"p{i}", new string('é', 6000)))],
            Tags = [.. Enumerable.Range(0, 150).Select(i => new MLflowTag($"t{i}", new string('\u4e2d', 5000)))],
        };

        var (requests, _) = BatchSplitter.Split("run", batch, OversizeValuePolicy.Refuse, 5000);

        Assert.All(requests, r => Assert.True(JsonSerializer.SerializeToUtf8Bytes(r, MLflowJsonContext.Default.LogBatchRequest).Length < 1_000_000));
        Assert.Equal(150, requests.Sum(r => r.Params.Count));
        Assert.Equal(150, requests.Sum(r => r.Tags.Count));
    }

    [Fact]
    public void Split_TruncatingAValueEndingInASurrogatePair_DoesNotSplitThePair()
    {
        var value = new string('a', 5999) + "\U0001F600";
        var batch = new MLflowBatch { Params = [new MLflowParam("emoji", value)] };

        var (requests, warnings) = BatchSplitter.Split("run", batch, OversizeValuePolicy.Truncate, 5000);

        Assert.Equal(new string('a', 5999), requests[0].Params[0].Value);
        Assert.Single(warnings);
    }
}
