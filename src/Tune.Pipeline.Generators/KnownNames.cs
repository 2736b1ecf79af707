namespace Tune.Pipeline.Generators;

/// <summary>
/// Metadata names of Core's types: the generator references nothing of ours and matches them by name.
/// </summary>
internal static class KnownNames
{
    /// <summary>The namespace of the attributes.</summary>
    public const string Namespace = "Tune.Pipeline";

    /// <summary>[Experiment].</summary>
    public const string ExperimentAttribute = "Tune.Pipeline.ExperimentAttribute";

    /// <summary>[Objective].</summary>
    public const string ObjectiveAttribute = "Tune.Pipeline.ObjectiveAttribute";

    /// <summary>The base class of every distribution attribute.</summary>
    public const string ParameterAttribute = "Tune.Pipeline.ParameterAttribute";

    /// <summary><c>IExperiment&lt;TParameters&gt;</c>.</summary>
    public const string ExperimentInterface = "Tune.Pipeline.IExperiment`1";

    /// <summary>The objective's goal.</summary>
    public const string Goal = "Tune.Pipeline.Goal";
}
