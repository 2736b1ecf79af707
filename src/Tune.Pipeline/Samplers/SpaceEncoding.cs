using System.Runtime.CompilerServices;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Samplers;

/// <summary>How a model-based sampler sees one parameter.</summary>
internal enum EncodedKind
{
    /// <summary>A coordinate in [0, 1] that may take any value.</summary>
    Continuous,

    /// <summary>A coordinate in [0, 1] restricted to the centres of <see cref="EncodedDimension.Count"/> cells.</summary>
    Discrete,

    /// <summary>An index in 0 .. <see cref="EncodedDimension.Count"/> - 1 with no order.</summary>
    Categorical,
}

/// <summary>One encoded dimension.</summary>
/// <param name="Kind">How the dimension is modelled.</param>
/// <param name="Count">The number of values of a discrete or categorical dimension; 0 for a continuous one.</param>
internal readonly record struct EncodedDimension(EncodedKind Kind, int Count);

/// <summary>
/// Maps configurations to the representation the model-based samplers work in: numeric parameters by their unit
/// coordinate (<see cref="Parameter.ToUnit"/>, so log scales, normal priors and quantisation are honoured), choices by
/// their index.
/// </summary>
internal sealed class SpaceEncoding
{
    // Above this many values a quantised or integer parameter is modelled as continuous and rounded when decoded.
    private const long MaxDiscreteValues = 1 << 20;

    // Configurations are immutable and their encoding depends only on their own space, so it is computed once per
    // configuration object; samplers stay pure functions of their context, only faster on long histories.
    private static readonly ConditionalWeakTable<Configuration, double[]> Cache = [];

    // Discrete dimensions with at most this many values have their unit coordinates listed, for exhaustive local search.
    private const int MaxListedValues = 4096;

    public SpaceEncoding(SearchSpace space)
    {
        Space = space;
        Dimensions = new EncodedDimension[space.Count];
        DiscreteUnits = new double[space.Count][];
        for (var i = 0; i < space.Count; i++)
        {
            var parameter = space.Parameters[i];
            Dimensions[i] = parameter.Kind switch
            {
                ParameterKind.Choice => new EncodedDimension(EncodedKind.Categorical, parameter.Choices.Length),
                _ when parameter.IsDiscrete && parameter.ValueCount is { } count && count <= MaxDiscreteValues
                    => new EncodedDimension(EncodedKind.Discrete, (int)count),
                _ => new EncodedDimension(EncodedKind.Continuous, 0),
            };
            DiscreteUnits[i] = Dimensions[i].Kind == EncodedKind.Discrete && Dimensions[i].Count <= MaxListedValues
                ? [.. parameter.EnumerateValues().Select(parameter.ToUnit)]
                : [];
        }
    }

    /// <summary>Gets, per dimension, the unit coordinates of every value of a small discrete dimension (empty otherwise).</summary>
    public double[][] DiscreteUnits { get; }

    public SearchSpace Space { get; }

    public EncodedDimension[] Dimensions { get; }

    public int Count => Dimensions.Length;

    public int CategoricalCount => Dimensions.Count(d => d.Kind == EncodedKind.Categorical);

    /// <summary>Encodes a configuration into <paramref name="destination"/>.</summary>
    public void Encode(Configuration configuration, Span<double> destination)
    {
        if (ReferenceEquals(configuration.Space, Space))
        {
            Cache.GetValue(configuration, EncodeNew).CopyTo(destination);
            return;
        }

        EncodeInto(configuration, destination);
    }

    private double[] EncodeNew(Configuration configuration)
    {
        var encoded = new double[Dimensions.Length];
        EncodeInto(configuration, encoded);
        return encoded;
    }

    private void EncodeInto(Configuration configuration, Span<double> destination)
    {
        for (var i = 0; i < Dimensions.Length; i++)
        {
            var parameter = Space.Parameters[i];
            var u = parameter.ToUnit(configuration[i]);
            destination[i] = Dimensions[i].Kind == EncodedKind.Categorical
                ? Math.Min((int)(u * Dimensions[i].Count), Dimensions[i].Count - 1)
                : Dimensions[i].Kind == EncodedKind.Discrete ? Snap(i, u) : u;
        }
    }

    /// <summary>Decodes a point into a configuration.</summary>
    public Configuration Decode(ReadOnlySpan<double> point)
    {
        var buffer = Dimensions.Length <= 64 ? stackalloc double[Dimensions.Length] : new double[Dimensions.Length];
        for (var i = 0; i < Dimensions.Length; i++)
        {
            buffer[i] = Dimensions[i].Kind == EncodedKind.Categorical ? (point[i] + 0.5) / Dimensions[i].Count : point[i];
        }

        return Space.FromUnit(buffer);
    }

    /// <summary>Moves a unit coordinate of a discrete dimension to the centre of the cell of the value it decodes to.</summary>
    public double Snap(int dimension, double u)
    {
        var parameter = Space.Parameters[dimension];
        return parameter.ToUnit(parameter.FromUnit(u));
    }

    /// <summary>Draws a point from the space's own distribution (uniform in the encoding).</summary>
    public void SampleUniform(Random random, Span<double> destination)
    {
        for (var i = 0; i < Dimensions.Length; i++)
        {
            var u = random.NextDouble();
            destination[i] = Dimensions[i].Kind switch
            {
                EncodedKind.Categorical => Math.Min((int)(u * Dimensions[i].Count), Dimensions[i].Count - 1),
                EncodedKind.Discrete => Snap(i, u),
                _ => u,
            };
        }
    }

    /// <summary>
    /// Collects the completed trials (finite values) as losses, in history order.
    /// </summary>
    public static List<(Trial Trial, double Loss)> Completed(SamplerContext context)
    {
        var result = new List<(Trial, double)>(context.History.Count);
        foreach (var trial in context.History)
        {
            if (trial.State == TrialState.Completed && trial.Value is { } value && double.IsFinite(value))
            {
                result.Add((trial, context.Goal.ToLoss(value)));
            }
        }

        return result;
    }

    /// <summary>
    /// Decides whether a model-based sampler is past its start-up trials: it has at least one result, and its results
    /// and the trials in flight together reach <paramref name="startupTrials"/>.
    /// </summary>
    /// <remarks>
    /// Trials in flight count because they were already spread by the start-up draws: with c trials in flight,
    /// waiting for <paramref name="startupTrials"/> results would add c - 1 more random trials to every sweep.
    /// </remarks>
    public static bool IsPastStartup(int completed, int pending, int startupTrials) =>
        completed > 0 && completed + pending >= Math.Max(1, startupTrials);

    /// <summary>Draws a standard normal deviate (Box-Muller; the second deviate is discarded for simplicity).</summary>
    public static double NextGaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
