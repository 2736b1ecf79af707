namespace Tune.Pipeline.Experiments.Tests;

/// <summary>
/// A plain C# MLP in double precision, written independently of the kernels: ReLU hidden layers, softmax
/// cross-entropy, no dropout. The kernels' outputs are checked against its forward pass, their gradients against
/// finite differences of its loss.
/// </summary>
internal sealed class ReferenceMlp(int[] sizes, double[][] weights, double[][] biases)
{
    public int[] Sizes { get; } = sizes;

    public double[][] Weights { get; } = weights;

    public double[][] Biases { get; } = biases;

    public static ReferenceMlp From(DigitsGpu.MlpModel model) => new(
        model.Sizes,
        [.. model.Weights.Select(w => w.Select(v => (double)v).ToArray())],
        [.. model.Biases.Select(b => b.Select(v => (double)v).ToArray())]);

    /// <summary>Gets each layer's outputs for one row: index 0 is the input, the last the logits.</summary>
    public double[][] Forward(ReadOnlySpan<float> input)
    {
        var layers = new double[Weights.Length + 1][];
        layers[0] = [.. input.ToArray().Select(v => (double)v)];
        for (var l = 0; l < Weights.Length; l++)
        {
            var x = layers[l];
            var y = new double[Sizes[l + 1]];
            for (var j = 0; j < y.Length; j++)
            {
                var sum = Biases[l][j];
                for (var i = 0; i < x.Length; i++)
                {
                    sum += x[i] * Weights[l][(i * y.Length) + j];
                }

                y[j] = l < Weights.Length - 1 ? Math.Max(0, sum) : sum;
            }

            layers[l + 1] = y;
        }

        return layers;
    }

    /// <summary>Gets the mean cross-entropy of rows of a flat feature matrix.</summary>
    public double Loss(float[] features, int[] labels, IReadOnlyList<int> rows)
    {
        var inputs = Sizes[0];
        var total = 0.0;
        foreach (var row in rows)
        {
            var logits = Forward(features.AsSpan(row * inputs, inputs))[^1];
            var max = logits.Max();
            var logSum = Math.Log(logits.Sum(z => Math.Exp(z - max))) + max;
            total += logSum - logits[labels[row]];
        }

        return total / rows.Count;
    }
}
