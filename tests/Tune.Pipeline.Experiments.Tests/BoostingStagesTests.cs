using BreastCancer;
using Experiments;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace Tune.Pipeline.Experiments.Tests;

public sealed class BoostingStagesTests
{
    [Fact]
    public void Plan_DoublesFromTheFirstStage_EndsAtTheRounds()
    {
        Assert.Equal([50, 100, 200, 300], BoostingStages.Plan(300, 50));
        Assert.Equal([50, 100, 200, 400], BoostingStages.Plan(400, 50));
        Assert.Equal([50], BoostingStages.Plan(50, 50));
    }

    [Fact]
    public void Auc_TiedScores_CountHalf()
    {
        Assert.Equal(1.0, BoostingStages.Auc([0.1, 0.2, 0.9], [false, false, true]));
        Assert.Equal(0.5, BoostingStages.Auc([0.5, 0.5], [false, true]));
        Assert.Equal(0.875, BoostingStages.Auc([0.1, 0.5, 0.5, 0.9], [false, true, false, true]));
    }

    [Fact]
    public void PrefixAuc_AllTrees_IsTheAucMLNetComputes()
    {
        var data = BreastCancerData.Load(BreastCancerExperiment.DataPath);
        var model = Fit(data, rounds: 100);

        var prefixes = BoostingStages.PrefixAuc(model.Model.SubModel, data.ValidationFeatures, data.ValidationLabels, after: 0, every: 25).ToList();

        Assert.Equal([25, 50, 75, 100], prefixes.Select(p => p.Rounds));
        var expected = data.Ml.BinaryClassification.Evaluate(model.Transform(data.Validation)).AreaUnderRocCurve;
        Assert.Equal(expected, prefixes[^1].Auc, 1e-12);
    }

    [Fact]
    public void PrefixAuc_GbdtPrefix_IsTheShorterFitsAuc()
    {
        // The recipe's premise: with gbdt, the first r trees of a longer fit are the r-round model.
        var data = BreastCancerData.Load(BreastCancerExperiment.DataPath);
        var shorter = Fit(data, rounds: 50);
        var longer = Fit(data, rounds: 100);

        var prefix = BoostingStages.PrefixAuc(longer.Model.SubModel, data.ValidationFeatures, data.ValidationLabels, after: 0, every: 50).First();

        Assert.Equal(50, prefix.Rounds);
        Assert.Equal(data.Ml.BinaryClassification.Evaluate(shorter.Transform(data.Validation)).AreaUnderRocCurve, prefix.Auc, 1e-12);
    }

    private static Microsoft.ML.Data.BinaryPredictionTransformer<Microsoft.ML.Calibrators.CalibratedModelParametersBase<LightGbmBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>> Fit(BreastCancerData data, int rounds) =>
        data.Ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = 8,
            LearningRate = 0.05,
            NumberOfIterations = rounds,
            Seed = 3,
            NumberOfThreads = 1,
            Deterministic = true,
            Silent = true,
        }).Fit(data.Train);
}
