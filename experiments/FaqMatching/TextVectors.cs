using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace FaqMatching;

/// <summary>ML.NET text featurisation: normalised words without stop words, n-grams weighted by term frequency (and inverse document frequency), scaled to unit length.</summary>
internal static class TextVectors
{
    /// <summary>Fits the featuriser on the answers: the vocabulary and document frequencies are the answers'.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="answers">The answers' text.</param>
    /// <param name="ngrams">"unigram" or "bigram" (words and pairs of words).</param>
    /// <param name="weighting">"tf" or "tfidf".</param>
    public static ITransformer Fit(MLContext ml, IReadOnlyList<string> answers, string ngrams, string weighting)
    {
        var pipeline = ml.Transforms.Text.NormalizeText("Normalized", "Text", keepDiacritics: false, keepPunctuations: false, keepNumbers: true)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens"))
            .Append(ml.Transforms.Text.ProduceNgrams(
                "Ngrams",
                "Tokens",
                ngramLength: ngrams == "bigram" ? 2 : 1,
                useAllLengths: true,
                weighting: weighting == "tfidf" ? NgramExtractingEstimator.WeightingCriteria.TfIdf : NgramExtractingEstimator.WeightingCriteria.Tf))
            .Append(ml.Transforms.NormalizeLpNorm("Vector", "Ngrams"));
        return pipeline.Fit(Load(ml, answers));
    }

    /// <summary>Gets each text's unit vector as sorted (index, value) pairs.</summary>
    public static IReadOnlyList<SparseVector> Transform(MLContext ml, ITransformer featuriser, IReadOnlyList<string> texts)
    {
        var transformed = featuriser.Transform(Load(ml, texts));
        var vectors = new List<SparseVector>(texts.Count);
        using var cursor = transformed.GetRowCursor([transformed.Schema["Vector"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(transformed.Schema["Vector"]);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            var values = buffer.GetValues().ToArray();
            var indices = buffer.IsDense ? [.. Enumerable.Range(0, values.Length)] : buffer.GetIndices().ToArray();
            vectors.Add(new SparseVector(indices, values));
        }

        return vectors;
    }

    /// <summary>Gets the schema the featuriser reads: one text column.</summary>
    public static DataViewSchema InputSchema(MLContext ml) => Load(ml, []).Schema;

    private static IDataView Load(MLContext ml, IReadOnlyList<string> texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(text => new TextRow { Text = text }));

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }
}

/// <summary>Represents a sparse vector: indices in increasing order and their values.</summary>
internal sealed record SparseVector(int[] Indices, float[] Values)
{
    /// <summary>Gets the dot product with another vector; for unit vectors, their cosine.</summary>
    public double Dot(SparseVector other)
    {
        double sum = 0;
        for (int i = 0, j = 0; i < Indices.Length && j < other.Indices.Length;)
        {
            if (Indices[i] == other.Indices[j])
            {
                sum += Values[i++] * (double)other.Values[j++];
            }
            else if (Indices[i] < other.Indices[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }
}
