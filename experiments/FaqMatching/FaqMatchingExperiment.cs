using System.Collections.Immutable;
using Experiments;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Tune.Pipeline;

namespace FaqMatching;

/// <summary>
/// Matches a question to the Python FAQ entry that answers it: ML.NET n-gram vectors and BM25 give pair features, a
/// LightGBM classifier scores each (question, answer) pair, and held-out questions rank every answer by that score.
/// The objective is the mean reciprocal rank of each held-out question's own answer.
/// </summary>
[Experiment("faq-matching")]
[Objective("mrr", Goal.Maximize)]
public sealed partial class FaqMatchingExperiment : IExperiment<FaqMatchingExperiment.Parameters>
{
    private FaqData? _data;

    /// <summary>The hyperparameters: the featurisation's and the booster's.</summary>
    public sealed partial record Parameters
    {
        [Choice("unigram", "bigram")]
        public string NGrams { get; init; } = "bigram";

        [Choice("tf", "tfidf")]
        public string Weighting { get; init; } = "tfidf";

        [Uniform(0.5, 2.0)]
        public double Bm25K1 { get; init; } = 1.2;

        [IntRange(4, 64, Log = true)]
        public int NumberOfLeaves { get; init; } = 16;

        [LogUniform(0.01, 0.3)]
        public double LearningRate { get; init; } = 0.1;

        [QUniform(50, 300, 50)]
        public int Trees { get; init; } = 100;

        [IntRange(5, 100, Log = true)]
        public int MinimumExamplesPerLeaf { get; init; } = 20;
    }

    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        // Once per agent: the parsed entries, the split, and (on first use) each featurisation choice.
        _data = FaqData.Load(FaqCorpus.DataDirectory);
        return ValueTask.CompletedTask;
    }

    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? throw new InvalidOperationException("The data was not prepared: the host calls PrepareAsync before the first trial.");
        var featurised = data.Featurise(parameters.NGrams, parameters.Weighting);
        var train = data.Ml.Data.LoadFromEnumerable(data.Pairs(featurised, data.Train, parameters.Bm25K1));
        var validation = data.Pairs(featurised, data.Validation, parameters.Bm25K1).Select(r => r.Features).ToList();

        // A step is a boosting round: the held-out MRR every 50 rounds, from fits in stages (BoostingStages).
        var answers = data.Entries.Count;
        var ranks = Array.Empty<double>();
        BoostingStages.Train(
            parameters.Trees,
            context,
            rounds => CreateTrainer(data.Ml, parameters with { Trees = rounds }, context.Seed, context.Threads).Fit(train),
            (stage, after) => BoostingStages.PrefixScores(stage.Model.SubModel, validation, after, BoostingStages.RoundsPerStep)
                .Select(prefix => (prefix.Rounds, (ranks = Ranks(prefix.Scores, data.Validation, answers)).Average(r => 1 / r))),
            cancellationToken);

        return ValueTask.FromResult(new TrialResult(ranks.Average(r => 1 / r))
        {
            Metrics = ImmutableDictionary<string, double>.Empty.Add("top1", ranks.Count(r => r == 1) / (double)ranks.Length),
        });
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken)
    {
        var data = _data ?? FaqData.Load(FaqCorpus.DataDirectory);
        var featurised = data.Featurise(parameters.NGrams, parameters.Weighting);
        var all = data.Ml.Data.LoadFromEnumerable(data.Pairs(featurised, Enumerable.Range(0, data.Entries.Count), parameters.Bm25K1));
        var model = CreateTrainer(data.Ml, parameters, context.Seed, context.Threads).Fit(all);
        FaqMatcher.Save(context.ArtifactsDirectory, data.Ml, model, all.Schema, featurised.Featuriser, new FaqMatcher.Settings(parameters.NGrams, parameters.Weighting, parameters.Bm25K1, data.Entries));
        return ValueTask.CompletedTask;
    }

    /// <summary>Gets each question's rank of its own answer among all answers, ties counting half.</summary>
    /// <param name="scores">Pair scores, question by question, answers in entry order.</param>
    /// <param name="questions">The questions, in the order of the scores; a question's own answer has its entry's index.</param>
    /// <param name="answers">The number of answers per question.</param>
    internal static double[] Ranks(IReadOnlyList<double> scores, IReadOnlyList<int> questions, int answers)
    {
        var ranks = new double[questions.Count];
        for (var q = 0; q < questions.Count; q++)
        {
            var own = scores[(q * answers) + questions[q]];
            double rank = 1;
            for (var a = 0; a < answers; a++)
            {
                var score = scores[(q * answers) + a];
                rank += a == questions[q] ? 0 : score > own ? 1 : score == own ? 0.5 : 0;
            }

            ranks[q] = rank;
        }

        return ranks;
    }

    private static LightGbmBinaryTrainer CreateTrainer(MLContext ml, Parameters parameters, long seed, int threads) =>
        ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = parameters.NumberOfLeaves,
            LearningRate = parameters.LearningRate,
            NumberOfIterations = parameters.Trees,
            MinimumExampleCountPerLeaf = parameters.MinimumExamplesPerLeaf,

            // LightGBM takes a 32-bit seed; a trial's derived seed keeps its low bits.
            Seed = (int)(seed & int.MaxValue),
            NumberOfThreads = threads,
            Deterministic = true,
            Verbose = false,
            Silent = true,
        });
}
