using Microsoft.ML.Trainers.FastTree;

namespace BreastCancer;

/// <summary>
/// Step reporting for an ML.NET tree trainer that has no per-round callback: train in stages of doubling rounds, and
/// after each stage score the validation rows with the ensemble's first r trees, for every k rounds the stage added.
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
/// The area under the ROC curve depends only on the order of the scores, so a prefix's raw score (the sum of its trees'
/// leaf values) gives the same AUC as the calibrated probability.
/// </para>
/// </remarks>
internal static class BoostingStages
{
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
    public static IEnumerable<(int Rounds, double Auc)> PrefixAuc(TreeEnsembleModelParameters model, IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, int after, int every)
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
                yield return (rounds, Auc(scores, labels));
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
