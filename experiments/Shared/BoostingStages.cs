using Microsoft.ML.Trainers.FastTree;
using Tune.Pipeline;

namespace Experiments;

/// <summary>
/// Step reporting for an ML.NET tree trainer that has no per-round callback: train in stages of doubling rounds, and
/// after each stage score the validation rows with the ensemble's first r trees, for every k rounds the stage added.
/// Shared by the examples (linked into each project that uses it).
/// </summary>
/// <remarks>
/// <para>
/// ML.NET's LightGBM trainers neither call back per round nor continue training from a model, so a stage is a new
/// <c>Fit</c> with more rounds. Stages double (first, 2 x first, 4 x first, ..., the trial's rounds), so a trial that
/// runs to the end trains at most about twice its rounds, and one stopped after a stage saves the rest. Stop
/// requests are honoured between stages.
/// </para>
/// <para>
/// With the gbdt booster and a fixed seed, round i does not depend on how many rounds follow it, so the first r trees
/// of a longer fit are the model an r-round fit gives, and a prefix's validation value is the value that model has.
/// With dart, later rounds rescale earlier trees; a prefix's value is then an estimate on the way, not the value of an
/// r-round model.
/// </para>
/// <para>
/// A prefix's raw score is the sum of its trees' leaf values. Metrics that depend only on the order of the scores (the
/// area under the ROC curve, a ranking's reciprocal rank) are the same for the raw score as for a calibrated probability.
/// </para>
/// </remarks>
internal static class BoostingStages
{
    /// <summary>Gets the boosting rounds between two step values.</summary>
    public const int RoundsPerStep = 50;

    /// <summary>Gets the rounds of the first stage; each later stage doubles them.</summary>
    public const int FirstStageRounds = 50;

    /// <summary>Trains in stages up to <paramref name="rounds"/>, reports each stage's new step values, and stops between stages when asked.</summary>
    /// <typeparam name="TModel">What a fit returns.</typeparam>
    /// <param name="rounds">The trial's boosting rounds.</param>
    /// <param name="context">The trial's context: steps go to it, stop requests come from it.</param>
    /// <param name="fit">Fits a model with the given rounds.</param>
    /// <param name="stepValues">Gets a model's step values above the given rounds (see <see cref="PrefixScores"/>).</param>
    /// <param name="cancellationToken">Cancels the trial.</param>
    /// <returns>The last stage's model: the one with the trial's rounds.</returns>
    /// <exception cref="TrialStoppedException">Early stopping asked the trial to stop.</exception>
    public static TModel Train<TModel>(int rounds, TrialContext context, Func<int, TModel> fit, Func<TModel, int, IEnumerable<(int Rounds, double Value)>> stepValues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(stepValues);
        var reported = 0;
        TModel model = default!;
        foreach (var stage in Plan(rounds, FirstStageRounds))
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.ThrowIfStopRequested();
            model = fit(stage);
            foreach (var (stepRounds, value) in stepValues(model, reported))
            {
                context.Report(stepRounds, value);
                reported = stepRounds;
            }
        }

        return model;
    }

    /// <summary>Gets the rounds of each stage: <paramref name="first"/>, doubling, ending at <paramref name="rounds"/>.</summary>
    public static IReadOnlyList<int> Plan(int rounds, int first)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        var stages = new List<int>();
        for (var stage = first; stage < rounds; stage *= 2)
        {
            stages.Add(stage);
        }

        stages.Add(rounds);
        return stages;
    }

    /// <summary>Gets the validation AUC of the ensemble's first r trees, for r = every, 2 x every, ..., above <paramref name="after"/> and up to the ensemble's size (which is always included).</summary>
    public static IEnumerable<(int Rounds, double Auc)> PrefixAuc(TreeEnsembleModelParameters model, IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int after, int every) =>
        PrefixScores(model, features, after, every).Select(prefix => (prefix.Rounds, Auc(prefix.Scores, labels)));

    /// <summary>Gets the raw scores of the ensemble's first r trees for each row, for r = every, 2 x every, ..., above <paramref name="after"/> and up to the ensemble's size (which is always included).</summary>
    /// <remarks>One array is updated from prefix to prefix: read it before asking for the next.</remarks>
    public static IEnumerable<(int Rounds, double[] Scores)> PrefixScores(TreeEnsembleModelParameters model, IReadOnlyList<float[]> features, int after, int every)
    {
        var ensemble = ((TreeEnsembleModelParametersBasedOnRegressionTree)model).TrainedTreeEnsemble;
        var trees = ensemble.Trees;
        var weights = ensemble.TreeWeights;
        var scores = new double[features.Count];
        for (var tree = 0; tree < trees.Count; tree++)
        {
            var leafValues = trees[tree].LeafValues;
            for (var row = 0; row < scores.Length; row++)
            {
                scores[row] += weights[tree] * leafValues[Leaf(trees[tree], features[row])];
            }

            var rounds = tree + 1;
            if (rounds > after && (rounds % every == 0 || rounds == trees.Count))
            {
                yield return (rounds, scores);
            }
        }
    }

    /// <summary>Gets the leaf a row falls in: ML.NET's rule, a value at or below a split's threshold goes left.</summary>
    private static int Leaf(RegressionTreeBase tree, float[] features)
    {
        if (tree.NumberOfNodes == 0)
        {
            return 0;
        }

        // Children below zero are leaves, as the bitwise complement of the leaf's index.
        var node = 0;
        while (node >= 0)
        {
            if (tree.CategoricalSplitFlags[node])
            {
                throw new NotSupportedException("Categorical splits are not scored here: the example's features are all numeric.");
            }

            node = features[tree.NumericalSplitFeatureIndexes[node]] <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
        }

        return ~node;
    }

    /// <summary>Gets the area under the ROC curve of scores for labels: the Mann-Whitney statistic, ties counted half.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            // Tied scores share the mean of their 1-based ranks.
            var rank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (labels[order[i]])
                {
                    positiveRankSum += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (positiveRankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }
}
