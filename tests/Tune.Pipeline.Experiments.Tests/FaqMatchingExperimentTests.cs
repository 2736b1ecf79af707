extern alias faq;

using faq::FaqMatching;

namespace Tune.Pipeline.Experiments.Tests;

public sealed class FaqMatchingExperimentTests
{
    [Fact]
    public void Load_TheCopiedFaq_ReadsItsQuestions()
    {
        var entries = FaqCorpus.Load(FaqCorpus.DataDirectory);

        Assert.Equal(175, entries.Count);
        Assert.All(entries, e => Assert.EndsWith("?", e.Question, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Question == "What is Python?" && e.Answer.StartsWith("Python is an interpreted", StringComparison.Ordinal));
    }

    [Fact]
    public void Ranks_BetterAndTiedAnswers_CountOneAndHalf()
    {
        // Two questions (entries 0 and 2) against three answers each.
        double[] scores = [0.9, 0.1, 0.5, /**/ 0.3, 0.7, 0.7];

        Assert.Equal([1.0, 1.5], FaqMatchingExperiment.Ranks(scores, [0, 2], answers: 3));
    }

    [Fact]
    public async Task RunTrial_100Rounds_ReportsTheHeldOutMrrEvery50()
    {
        var experiment = new FaqMatchingExperiment();
        await experiment.PrepareAsync(new ExperimentContext(), CancellationToken.None);
        var context = new RecordingTrialContext(Path.GetTempPath());

        var result = await experiment.RunTrialAsync(new FaqMatchingExperiment.Parameters { Trees = 100 }, context, CancellationToken.None);

        Assert.Equal([50L, 100L], context.Steps.Select(s => s.Step));
        Assert.Equal(result.Objective, context.Steps[^1].Value, 1e-12);
        Assert.InRange(result.Objective, 0.3, 1.0);
    }

    [Fact]
    public async Task Sweep_TinyBudget_PublishesAMatcherThatFindsTheAnswer()
    {
        var home = Directory.CreateTempSubdirectory("tune-faq-");
        try
        {
            var published = await ExperimentExecutable.SweepAsync("FaqMatching.dll", "faq-matching", home);

            var matcher = FaqMatcher.Load(published);
            var matches = matcher.Match("How do I turn my Python program into a standalone executable?", count: 3);

            // Two entries answer it; one of them is among the three best matches.
            Assert.Equal(3, matches.Count);
            Assert.Contains(matches, m => m.Entry.Question is "How can I create a stand-alone binary from a Python script?" or "How do I make an executable from a Python script?");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
