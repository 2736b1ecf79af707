using System.Collections.Immutable;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Tune.Pipeline;

namespace TuneExperiment;

/// <summary>
/// A multiclass logistic regression (ML.NET's SDCA maximum entropy) on the UCI wine recognition data: find the
/// regularisation with the lowest validation log-loss, then retrain on all rows. Replace the data and the trainer with
/// your own; keep the attributes, they are the search space.
/// </summary>
[Experiment("tune-experiment-name")]
[Objective("log-loss", Goal.Minimize)]
public sealed partial class TuneExperimentExperiment : IExperiment<TuneExperimentExperiment.Parameters>
{
    // The split is fixed for the whole sweep so that every trial is scored on the same validation rows.
    private const int SplitSeed = 20261205;

    private Data? _data;

    /// <summary>The hyperparameters: bounds in their own units; the initialisers are the defaults (trial 0).</summary>
    public sealed partial record Parameters
    {
        [LogUniform(1e-6, 1.0)]
        public double L2Regularization { get; init; } = 1e-3;

        [LogUniform(1e-6, 1.0)]
        public double L1Regularization { get; init; } = 1e-4;

        [IntRange(5, 200, Log = true)]
        public int MaximumIterations { get; init; } = 50;
    }

    /// <summary>Gets the data file, copied beside the executable by the project.</summary>
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "wine_data.csv");

    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        // Once per agent: every trial of this agent reuses the parsed rows and the split.
        _data = Data.Load(DataPath);
        return ValueTask.CompletedTask;
    }

    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? throw new InvalidOperationException("The data was not prepared: the host calls PrepareAsync before the first trial.");
        var model = CreatePipeline(data.Ml, parameters, context.Threads).Fit(data.Train);
        var metrics = data.Ml.MulticlassClassification.Evaluate(model.Transform(data.Validation));
        return ValueTask.FromResult(new TrialResult(metrics.LogLoss)
        {
            Metrics = ImmutableDictionary<string, double>.Empty.Add("accuracy", metrics.MicroAccuracy),
        });
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? Data.Load(DataPath);
        var model = CreatePipeline(data.Ml, parameters, context.Threads).Fit(data.All);
        Directory.CreateDirectory(context.ArtifactsDirectory);
        data.Ml.Model.Save(model, data.All.Schema, Path.Combine(context.ArtifactsDirectory, "model.zip"));
        return ValueTask.CompletedTask;
    }

    private static IEstimator<ITransformer> CreatePipeline(MLContext ml, Parameters parameters, int threads) =>
        ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .Append(ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = (float)parameters.L2Regularization,
                L1Regularization = (float)parameters.L1Regularization,
                MaximumNumberOfIterations = parameters.MaximumIterations,

                // One thread keeps SDCA deterministic for a seed; agents run trials in parallel instead.
                NumberOfThreads = 1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    /// <summary>The wine data: the first line is <c>rows,features,class names...</c>, then features and a class index.</summary>
    private sealed class Data(MLContext ml, IDataView all, IDataView train, IDataView validation)
    {
        public MLContext Ml { get; } = ml;

        public IDataView All { get; } = all;

        public IDataView Train { get; } = train;

        public IDataView Validation { get; } = validation;

        public static Data Load(string path)
        {
            var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
            var featureCount = int.Parse(lines[0].Split(',')[1], CultureInfo.InvariantCulture);
            var rows = lines.Skip(1).Select(line =>
            {
                var cells = line.Split(',');
                return new Row
                {
                    Features = [.. cells.Take(featureCount).Select(c => float.Parse(c, CultureInfo.InvariantCulture))],
                    Label = uint.Parse(cells[featureCount], CultureInfo.InvariantCulture),
                };
            }).ToList();

            var ml = new MLContext(seed: SplitSeed);
            var all = ml.Data.LoadFromEnumerable(rows);
            var split = ml.Data.TrainTestSplit(all, testFraction: 0.3, seed: SplitSeed);
            return new Data(ml, all, split.TrainSet, split.TestSet);
        }
    }

    private sealed class Row
    {
        [VectorType(13)]
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }
}
