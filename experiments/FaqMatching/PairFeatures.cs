namespace FaqMatching;

/// <summary>
/// The features of a (question, answer) pair that the booster scores: the ML.NET n-gram cosine, BM25, word overlap,
/// and the answer's length; the cosine and BM25 also relative to the best answer for the same question.
/// </summary>
internal sealed class PairFeatures
{
    /// <summary>Gets the number of features of a pair.</summary>
    public const int Count = 7;

    // BM25's length normalisation: Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009), eq. 3.15.
    private const double Bm25B = 0.75;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "can", "do", "does", "i",
        "my", "it", "its", "how", "what", "why", "when", "which", "there", "this", "that", "as", "by", "from", "at", "you", "your",
    };

    private readonly HashSet<string>[] _answerWords;
    private readonly HashSet<string>[] _answerOpenings;
    private readonly Dictionary<string, int>[] _answerCounts;
    private readonly int[] _answerLengths;
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    /// <summary>Initializes a new instance of the <see cref="PairFeatures"/> class for a set of answers.</summary>
    public PairFeatures(IReadOnlyList<string> answers, IReadOnlyList<SparseVector> answerVectors)
    {
        AnswerVectors = answerVectors;
        var tokens = answers.Select(Words).ToArray();
        _answerWords = [.. tokens.Select(t => new HashSet<string>(t, StringComparer.Ordinal))];
        _answerOpenings = [.. tokens.Select(t => new HashSet<string>(t.Take(30), StringComparer.Ordinal))];
        _answerCounts = [.. tokens.Select(t => t.CountBy(w => w).ToDictionary(StringComparer.Ordinal))];
        _answerLengths = [.. tokens.Select(t => t.Length)];
        _averageLength = _answerLengths.Average();
        foreach (var word in _answerWords.SelectMany(w => w).Distinct())
        {
            var documents = _answerWords.Count(w => w.Contains(word));
            _idf[word] = Math.Log(1 + ((answers.Count - documents + 0.5) / (documents + 0.5)));
        }
    }

    /// <summary>Gets the answers' unit n-gram vectors.</summary>
    public IReadOnlyList<SparseVector> AnswerVectors { get; }

    /// <summary>Gets the number of answers.</summary>
    public int Answers => _answerLengths.Length;

    /// <summary>Gets lower-case words of letters and digits, without the most common English words.</summary>
    public static string[] Words(string text)
    {
        var words = new List<string>();
        var lower = text.ToLowerInvariant();
        for (var start = 0; start < lower.Length;)
        {
            var end = start;
            while (end < lower.Length && char.IsLetterOrDigit(lower[end]))
            {
                end++;
            }

            if (end - start > 1 && !StopWords.Contains(lower[start..end]))
            {
                words.Add(lower[start..end]);
            }

            start = end + 1;
        }

        return [.. words];
    }

    /// <summary>Gets the features of a question against every answer, one row per answer.</summary>
    /// <param name="question">The question's text.</param>
    /// <param name="questionVector">The question's unit n-gram vector from the same featuriser as the answers'.</param>
    /// <param name="bm25K1">BM25's term-frequency saturation.</param>
    public float[][] Of(string question, SparseVector questionVector, double bm25K1)
    {
        var words = Words(question).Distinct(StringComparer.Ordinal).ToArray();
        var cosines = AnswerVectors.Select(questionVector.Dot).ToArray();
        var bm25 = new double[Answers];
        for (var a = 0; a < Answers; a++)
        {
            foreach (var word in words)
            {
                if (_answerCounts[a].TryGetValue(word, out var count))
                {
                    var norm = bm25K1 * (1 - Bm25B + (Bm25B * _answerLengths[a] / _averageLength));
                    bm25[a] += _idf[word] * count * (bm25K1 + 1) / (count + norm);
                }
            }
        }

        var bestCosine = Math.Max(cosines.Max(), 1e-9);
        var bestBm25 = Math.Max(bm25.Max(), 1e-9);
        var rows = new float[Answers][];
        for (var a = 0; a < Answers; a++)
        {
            var overlap = words.Length == 0 ? 0 : words.Count(_answerWords[a].Contains) / (double)words.Length;
            var openingOverlap = words.Length == 0 ? 0 : words.Count(_answerOpenings[a].Contains) / (double)words.Length;
            rows[a] =
            [
                (float)cosines[a],
                (float)(cosines[a] / bestCosine),
                (float)bm25[a],
                (float)(bm25[a] / bestBm25),
                (float)overlap,
                (float)openingOverlap,
                (float)Math.Log(1 + _answerLengths[a]),
            ];
        }

        return rows;
    }
}
