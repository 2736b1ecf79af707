using DigitsGpu;

namespace Tune.Pipeline.Experiments.Tests;

public sealed class DigitsGpuExperimentTests
{
    [Fact]
    public async Task RunTrial_ThreeEpochs_ReportsTheValidationAccuracyEachEpoch()
    {
        using var experiment = await PreparedAsync();
        var context = new RecordingTrialContext(Path.GetTempPath());

        var result = await experiment.RunTrialAsync(new DigitsGpuExperiment.Parameters { Epochs = 3, Width = 32, BatchSize = 128 }, context, CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], context.Steps.Select(s => s.Step));
        Assert.Equal(result.Objective, context.Steps[^1].Value);

        // Three epochs of SGD with momentum already separate the digits far better than chance (0.1).
        Assert.True(result.Objective > 0.5, $"accuracy {result.Objective}");
    }

    [Fact]
    public async Task RunTrial_StopRequested_StopsAtTheNextEpoch()
    {
        using var experiment = await PreparedAsync();
        var context = new RecordingTrialContext(Path.GetTempPath(), stopAfterReports: 1);

        await Assert.ThrowsAsync<TrialStoppedException>(
            async () => await experiment.RunTrialAsync(new DigitsGpuExperiment.Parameters { Epochs = 5, Width = 16, BatchSize = 256 }, context, CancellationToken.None));

        Assert.Equal([1L], context.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task Sweep_TinyBudget_PublishesAModelThatPredicts()
    {
        var home = Directory.CreateTempSubdirectory("tune-digits-");
        try
        {
            // A narrowed space keeps the three trials to a few epochs on the CPU accelerator.
            var config = Path.Combine(home.FullName, "tiny.yaml");
            await File.WriteAllTextAsync(
                config,
                "space:\n  Epochs: {type: int, min: 3, max: 4}\n  Width: {type: int, min: 16, max: 32}\n  BatchSize: {type: choice, values: [128]}\n  LearningRate: {type: loguniform, min: 0.05, max: 0.2}\n",
                TestContext.Current.CancellationToken);

            var published = await ExperimentExecutable.SweepAsync("DigitsGpu.dll", "digits-gpu", home, "--config", config);

            var model = MlpModel.Load(published);
            var data = DigitsData.Load(DigitsGpuExperiment.DataPath);
            var correct = 0;
            foreach (var row in data.Validation)
            {
                var greyLevels = data.AllFeatures.AsSpan(row * DigitsData.Features, DigitsData.Features).ToArray().Select(v => v * 16f).ToArray();
                correct += model.Predict(greyLevels) == data.AllLabels[row] ? 1 : 0;
            }

            // Retrained on all rows, the published model has seen these; it must get most of them right.
            Assert.True(correct >= data.Validation.Length * 0.8, $"{correct} of {data.Validation.Length}");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<DigitsGpuExperiment> PreparedAsync()
    {
        var experiment = new DigitsGpuExperiment();
        await experiment.PrepareAsync(new ExperimentContext { Threads = 2 }, CancellationToken.None);
        return experiment;
    }
}
