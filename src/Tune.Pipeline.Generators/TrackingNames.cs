namespace Tune.Pipeline.Generators;

/// <summary>
/// Names of the generator's pipeline stages, so that tests can check that each one is cached.
/// </summary>
internal static class TrackingNames
{
    /// <summary>The stage that turns an [Experiment] class into a model (or <see langword="null"/>).</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The stage that keeps the experiments the generator can use.</summary>
    public const string Experiments = nameof(Experiments);

    /// <summary>The stage that finds parameters types shared by several experiments.</summary>
    public const string SharedParametersTypes = nameof(SharedParametersTypes);
}
