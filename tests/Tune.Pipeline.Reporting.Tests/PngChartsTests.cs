using System.Buffers.Binary;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public sealed class PngChartsTests
{
    private static readonly HtmlReportOptions Options = new() { Experiment = "breast-cancer", ObjectiveMetric = "auc", Goal = Goal.Maximize };

    [Fact]
    public void History_FinishedSweep_IsAPngOfTheChartsSize()
    {
        var png = PngCharts.History(SweepReport.From(Samples.Result(), Options));

        Assert.Equal((800, 450), Size(png!));
    }

    [Fact]
    public void Steps_BestTrialsWithoutSteps_DrawsNothing()
    {
        Assert.Null(PngCharts.Steps(SweepReport.From(Samples.Result(), Options)));
    }

    [Fact]
    public async Task WriteAsync_BestTrialsWithSteps_WritesBothCharts()
    {
        var result = Samples.Result();
        var withSteps = result with { Trials = [.. result.Trials.Select(t => t.State == TrialState.Completed ? t with { Steps = [new StepValue(1, 0.5), new StepValue(2, t.Value!.Value)] } : t)] };
        var folder = Directory.CreateTempSubdirectory("tune-png-").FullName;

        try
        {
            var written = await PngCharts.WriteAsync(folder, SweepReport.From(withSteps, Options), TestContext.Current.CancellationToken);

            Assert.Equal([PngCharts.HistoryFileName, PngCharts.StepsFileName], written);
            Assert.Equal((800, 450), Size(await File.ReadAllBytesAsync(Path.Combine(folder, PngCharts.StepsFileName), TestContext.Current.CancellationToken)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void History_NoTrialWithAValue_DrawsNothing()
    {
        var result = Samples.Result();

        Assert.Null(PngCharts.History(SweepReport.From(result with { Trials = [result.Trials[3]], BestTrial = null }, Options)));
    }

    // A PNG starts with its 8-byte signature, then the IHDR chunk: length, type, width and height as big-endian integers.
    private static (int Width, int Height) Size(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
