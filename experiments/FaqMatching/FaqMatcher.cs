using System.Text.Json;
using Microsoft.ML;

namespace FaqMatching;

/// <summary>Represents a FAQ entry matched to a question, with the booster's score for the pair.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Score">The booster's raw score: higher is a better match.</param>
public sealed record FaqMatch(FaqEntry Entry, double Score);

/// <summary>The published FAQ matcher: loads what <c>retrain</c> wrote and ranks the FAQ's entries for a question.</summary>
public sealed class FaqMatcher
{
    private const string ModelFile = "model.zip";
    private const string FeaturiserFile = "featuriser.zip";
    private const string SettingsFile = "faq-matcher.json";

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly ITransformer _featuriser;
    private readonly Settings _settings;
    private readonly PairFeatures _pairs;

    private FaqMatcher(MLContext ml, ITransformer model, ITransformer featuriser, Settings settings)
    {
        _ml = ml;
        _model = model;
        _featuriser = featuriser;
        _settings = settings;
        var answers = settings.Entries.Select(e => e.Answer).ToList();
        _pairs = new PairFeatures(answers, TextVectors.Transform(ml, featuriser, answers));
    }

    /// <summary>Loads a published matcher from its folder (<c>artifacts/faq-matching</c>).</summary>
    /// <param name="directory">The folder <c>retrain</c> published to.</param>
    public static FaqMatcher Load(string directory)
    {
        var ml = new MLContext(seed: 0);
        var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(directory, SettingsFile)))
            ?? throw new InvalidDataException($"{SettingsFile} in '{directory}' is empty.");
        return new FaqMatcher(ml, ml.Model.Load(Path.Combine(directory, ModelFile), out _), ml.Model.Load(Path.Combine(directory, FeaturiserFile), out _), settings);
    }

    /// <summary>Ranks the FAQ's entries for a question, best first.</summary>
    /// <param name="question">The question, in any words.</param>
    /// <param name="count">How many entries to return.</param>
    public IReadOnlyList<FaqMatch> Match(string question, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(question);
        var vector = TextVectors.Transform(_ml, _featuriser, [question])[0];
        var rows = _pairs.Of(question, vector, _settings.Bm25K1).Select(f => new PairRow { Features = f });
        var scores = _ml.Data.CreateEnumerable<ScoreRow>(_model.Transform(_ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false);
        return [.. scores.Select((s, i) => new FaqMatch(_settings.Entries[i], s.Score)).OrderByDescending(m => m.Score).Take(count)];
    }

    internal static void Save(string directory, MLContext ml, ITransformer model, DataViewSchema schema, ITransformer featuriser, Settings settings)
    {
        Directory.CreateDirectory(directory);
        ml.Model.Save(model, schema, Path.Combine(directory, ModelFile));
        ml.Model.Save(featuriser, TextVectors.InputSchema(ml), Path.Combine(directory, FeaturiserFile));
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(settings));
    }

    /// <summary>Represents the featurisation choices and the entries a published matcher ranks.</summary>
    internal sealed record Settings(string NGrams, string Weighting, double Bm25K1, IReadOnlyList<FaqEntry> Entries);

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
