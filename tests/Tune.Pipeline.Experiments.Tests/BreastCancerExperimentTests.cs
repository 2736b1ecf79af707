using BreastCancer;
using Microsoft.ML;

namespace Tune.Pipeline.Experiments.Tests;

public sealed class BreastCancerExperimentTests
{
    [Fact]
    public async Task RunTrial_200Rounds_ReportsTheValidationAucEvery50()
    {
        var experiment = await PreparedAsync();
        var context = new RecordingTrialContext(Path.GetTempPath());

        var result = await experiment.RunTrialAsync(new BreastCancerExperiment.Parameters { Trees = 200 }, context, CancellationToken.None);

        Assert.Equal([50L, 100L, 150L, 200L], context.Steps.Select(s => s.Step));
        Assert.Equal(result.Objective, context.Steps[^1].Value, 1e-12);
    }

    [Fact]
    public async Task RunTrial_StopRequested_StopsAfterTheStageItIsIn()
    {
        var experiment = await PreparedAsync();
        var context = new RecordingTrialContext(Path.GetTempPath(), stopAfterReports: 1);

        await Assert.ThrowsAsync<TrialStoppedException>(
            async () => await experiment.RunTrialAsync(new BreastCancerExperiment.Parameters { Trees = 400 }, context, CancellationToken.None));

        Assert.Equal([50L], context.Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task Sweep_TinyBudget_PublishesAModelThatPredicts()
    {
        var home = Directory.CreateTempSubdirectory("tune-bc-");
        try
        {
            var published = await ExperimentExecutable.SweepAsync("BreastCancer.dll", "breast-cancer", home);

            var ml = new MLContext(seed: 1);
            var model = ml.Model.Load(Path.Combine(published, "model.zip"), out _);
            var rows = ml.Data.CreateEnumerable<BreastCancerData.Row>(BreastCancerData.Load(BreastCancerExperiment.DataPath).Validation, reuseRowObject: false).ToList();
            var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToList();

            // Retrained on all rows, the published model has seen these; it must get nearly all of them right.
            Assert.True(predictions.Zip(rows).Count(p => p.First.PredictedLabel == p.Second.Label) >= rows.Count * 0.9);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<BreastCancerExperiment> PreparedAsync()
    {
        var experiment = new BreastCancerExperiment();
        await experiment.PrepareAsync(new ExperimentContext(), CancellationToken.None);
        return experiment;
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }
}
