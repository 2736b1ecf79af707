using System.Text.Json;

namespace DigitsGpu;

/// <summary>
/// A trained MLP as plain arrays: what <c>retrain</c> publishes as <c>model.json</c> and what predicts without an
/// accelerator (a forward pass in C#, the same arithmetic as the kernels' scoring path).
/// </summary>
/// <param name="Sizes">The layer sizes: inputs, hidden layers, classes.</param>
/// <param name="Weights">Each layer's weights, row-major [inputs, outputs].</param>
/// <param name="Biases">Each layer's biases.</param>
public sealed record MlpModel(int[] Sizes, float[][] Weights, float[][] Biases)
{
    /// <summary>Gets the published model's file name.</summary>
    public const string FileName = "model.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Loads a published model from its folder.</summary>
    /// <param name="folder">The folder <c>retrain</c> published to (such as <c>artifacts/digits-gpu</c>).</param>
    /// <returns>The model.</returns>
    public static MlpModel Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return JsonSerializer.Deserialize<MlpModel>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} holds no model.");
    }

    /// <summary>Writes the model to <c>model.json</c> in a folder.</summary>
    /// <param name="folder">The folder; created if missing.</param>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Gets the logits of one image.</summary>
    /// <param name="features">The image's features, scaled as <see cref="DigitsData.Scale"/> does (grey level / 16).</param>
    /// <returns>One logit per class.</returns>
    public float[] Logits(ReadOnlySpan<float> features)
    {
        var x = features.ToArray();
        for (var l = 0; l < Weights.Length; l++)
        {
            int inputs = Sizes[l], outputs = Sizes[l + 1];
            var y = new float[outputs];
            for (var j = 0; j < outputs; j++)
            {
                var sum = Biases[l][j];
                for (var i = 0; i < inputs; i++)
                {
                    sum += x[i] * Weights[l][(i * outputs) + j];
                }

                y[j] = l < Weights.Length - 1 && sum < 0f ? 0f : sum;
            }

            x = y;
        }

        return x;
    }

    /// <summary>Predicts the digit of an 8x8 image of grey levels 0..16, as the data set holds them.</summary>
    /// <param name="greyLevels">64 grey levels, row by row.</param>
    /// <returns>The digit, 0..9.</returns>
    public int Predict(ReadOnlySpan<float> greyLevels)
    {
        var logits = Logits(DigitsData.Scale(greyLevels));
        var best = 0;
        for (var c = 1; c < logits.Length; c++)
        {
            if (logits[c] > logits[best])
            {
                best = c;
            }
        }

        return best;
    }
}
