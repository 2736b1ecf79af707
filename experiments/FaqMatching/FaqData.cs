using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FaqMatching;

/// <summary>
/// The FAQ entries, prepared once per agent: the fixed split of questions, and per featurisation choice the fitted
/// featuriser, the answers' pair-feature statistics and the questions' vectors (made on first use, then reused).
/// </summary>
internal sealed class FaqData
{
    // The split is fixed for the whole sweep so that trials are compared on the same held-out questions.
    private const int SplitSeed = 20241204;

    private readonly ConcurrentDictionary<(string NGrams, string Weighting), Lazy<Featurised>> _featurised = new();

    private FaqData(IReadOnlyList<FaqEntry> entries)
    {
        Entries = entries;
        var order = Enumerable.Range(0, entries.Count).ToArray();
        new Random(SplitSeed).Shuffle(order);
        var held = entries.Count * 3 / 10;
        Validation = [.. order.Take(held).Order()];
        Train = [.. order.Skip(held).Order()];
    }

    public MLContext Ml { get; } = new(seed: SplitSeed);

    public IReadOnlyList<FaqEntry> Entries { get; }

    /// <summary>Gets the entries whose questions train the booster.</summary>
    public IReadOnlyList<int> Train { get; }

    /// <summary>Gets the entries whose questions are held out: each is ranked against every answer.</summary>
    public IReadOnlyList<int> Validation { get; }

    public static FaqData Load(string directory) => new(FaqCorpus.Load(directory));

    /// <summary>Gets the featurisation for a choice of n-grams and weighting, made once per agent.</summary>
    public Featurised Featurise(string ngrams, string weighting) =>
        _featurised.GetOrAdd((ngrams, weighting), key => new Lazy<Featurised>(() => Featurised.Create(Ml, Entries, key.NGrams, key.Weighting))).Value;

    /// <summary>Gets the pair rows of some questions against every answer: question by question, answers in entry order; a pair is positive when the answer is the question's own.</summary>
    public List<PairRow> Pairs(Featurised featurised, IEnumerable<int> questions, double bm25K1)
    {
        var rows = new List<PairRow>();
        foreach (var question in questions)
        {
            var features = featurised.Pairs.Of(Entries[question].Question, featurised.Questions[question], bm25K1);
            rows.AddRange(features.Select((f, answer) => new PairRow { Features = f, Label = answer == question }));
        }

        return rows;
    }

    /// <summary>Represents the featurisation of the corpus for one choice of n-grams and weighting.</summary>
    internal sealed record Featurised(ITransformer Featuriser, PairFeatures Pairs, IReadOnlyList<SparseVector> Questions)
    {
        public static Featurised Create(MLContext ml, IReadOnlyList<FaqEntry> entries, string ngrams, string weighting)
        {
            var answers = entries.Select(e => e.Answer).ToList();
            var featuriser = TextVectors.Fit(ml, answers, ngrams, weighting);
            return new Featurised(
                featuriser,
                new PairFeatures(answers, TextVectors.Transform(ml, featuriser, answers)),
                TextVectors.Transform(ml, featuriser, [.. entries.Select(e => e.Question)]));
        }
    }
}

/// <summary>Represents one (question, answer) pair for the booster.</summary>
internal sealed class PairRow
{
    [VectorType(PairFeatures.Count)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}
