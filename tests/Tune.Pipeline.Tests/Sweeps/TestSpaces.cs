using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Sweeps;

public sealed record QuadraticParameters
{
    public double X { get; init; } = 0.5;

    public long Depth { get; init; } = 2;
}

/// <summary>A hand-written typed space, as the generator would emit it.</summary>
public sealed class QuadraticSpace() : SearchSpace<QuadraticParameters>([Parameter.Uniform("X", 0, 1), Parameter.IntRange("Depth", 1, 4)])
{
    public static QuadraticSpace Instance { get; } = new();

    public override QuadraticParameters ToParameters(Configuration configuration) =>
        new() { X = configuration.GetDouble("X"), Depth = configuration.GetInt64("Depth") };

    public override Configuration ToConfiguration(QuadraticParameters parameters) =>
        CreateConfiguration([parameters.X, parameters.Depth]);

    protected override QuadraticParameters CreateDefault() => new();
}

/// <summary>
/// A sampler whose proposals depend on the whole history and on the pending trials, as a model-based one's do, so a
/// test notices when the controller hands it a history that depends on timing.
/// </summary>
internal sealed class HistoryDependentSampler : ISampler
{
    public Configuration? Suggest(SamplerContext context)
    {
        var shift = context.History.Sum(t => (t.Value ?? 0.0) * (t.Number + 1)) + context.Pending.Count;
        var random = context.CreateRandom();
        var u = (random.NextDouble() + shift) % 1.0;
        return context.Space.FromUnit([u, random.NextDouble()]);
    }
}

/// <summary>Records every context it is given, then draws at random.</summary>
internal sealed class RecordingSampler : ISampler
{
    public List<SamplerContext> Contexts { get; } = [];

    public Configuration? Suggest(SamplerContext context)
    {
        lock (Contexts)
        {
            Contexts.Add(context);
        }

        return context.Space.Sample(context.CreateRandom());
    }
}
