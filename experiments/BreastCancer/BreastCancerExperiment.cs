using System.Collections.Immutable;
using Experiments;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Tune.Pipeline;

namespace BreastCancer;

/// <summary>
/// LightGBM (through ML.NET) on the Wisconsin diagnostic breast cancer data: find the boosting settings with the best
/// validation AUC, then retrain on all rows.
/// </summary>
[Experiment("breast-cancer")]
[Objective("auc", Goal.Maximize)]
public sealed partial class BreastCancerExperiment : IExperiment<BreastCancerExperiment.Parameters>
{
    private BreastCancerData? _data;

    /// <summary>The hyperparameters; the initialisers are LightGBM's usual defaults.</summary>
    public sealed partial record Parameters
    {
        [IntRange(4, 64, Log = true)]
        public int NumberOfLeaves { get; init; } = 31;

        [LogUniform(1e-3, 0.3)]
        public double LearningRate { get; init; } = 0.1;

        [QUniform(50, 400, 50)]
        public int Trees { get; init; } = 100;

        [IntRange(2, 40, Log = true)]
        public int MinimumExamplesPerLeaf { get; init; } = 20;

        [LogUniform(1e-4, 10)]
        public double L2Regularization { get; init; } = 0.01;

        [Choice("gbdt", "dart")]
        public string Booster { get; init; } = "gbdt";
    }

    /// <summary>Gets the data file, copied beside the executable by the project.</summary>
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");

    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        // Once per agent: every trial of this agent reuses the parsed rows and the fixed split.
        _data = BreastCancerData.Load(DataPath);
        return ValueTask.CompletedTask;
    }

    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? throw new InvalidOperationException("The data was not prepared: the host calls PrepareAsync before the first trial.");

        // A step is a boosting round: the validation AUC every 50 rounds, from fits in stages (BoostingStages). Early
        // stopping can stop the trial between stages; its value at its last step then stands for it.
        var model = BoostingStages.Train(
            parameters.Trees,
            context,
            rounds => CreateTrainer(data.Ml, parameters with { Trees = rounds }, context.Seed, context.Threads).Fit(data.Train),
            (stage, after) => BoostingStages.PrefixAuc(stage.Model.SubModel, data.ValidationFeatures, data.ValidationLabels, after, BoostingStages.RoundsPerStep),
            cancellationToken);

        var metrics = data.Ml.BinaryClassification.Evaluate(model.Transform(data.Validation));
        return ValueTask.FromResult(new TrialResult(metrics.AreaUnderRocCurve)
        {
            Metrics = ImmutableDictionary<string, double>.Empty
                .Add("accuracy", metrics.Accuracy)
                .Add("f1", metrics.F1Score),
        });
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? BreastCancerData.Load(DataPath);
        var model = CreateTrainer(data.Ml, parameters, context.Seed, context.Threads).Fit(data.All);
        Directory.CreateDirectory(context.ArtifactsDirectory);
        data.Ml.Model.Save(model, data.All.Schema, Path.Combine(context.ArtifactsDirectory, "model.zip"));
        return ValueTask.CompletedTask;
    }

    private static LightGbmBinaryTrainer CreateTrainer(MLContext ml, Parameters parameters, long seed, int threads)
    {
        BoosterParameterBase.OptionsBase booster = parameters.Booster == "dart"
            ? new DartBooster.Options { L2Regularization = parameters.L2Regularization }
            : new GradientBooster.Options { L2Regularization = parameters.L2Regularization };

        return ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = parameters.NumberOfLeaves,
            LearningRate = parameters.LearningRate,
            NumberOfIterations = parameters.Trees,
            MinimumExampleCountPerLeaf = parameters.MinimumExamplesPerLeaf,
            Booster = booster,

            // LightGBM takes a 32-bit seed; a trial's derived seed keeps its low bits.
            Seed = (int)(seed & int.MaxValue),
            NumberOfThreads = threads,
            Deterministic = true,
            Verbose = false,
            Silent = true,
        });
    }
}
