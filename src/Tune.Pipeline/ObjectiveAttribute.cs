namespace Tune.Pipeline;

/// <summary>
/// Declares the primary metric of an experiment and whether it is maximized or minimized.
/// </summary>
/// <remarks>
/// Multiple uses compile so that the analyzer can report "exactly one objective" at the class (TUNE0103) rather than
/// leaving the user with the compiler's duplicate-attribute error.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ObjectiveAttribute : Attribute
{
    /// <summary>
    /// Initializes a new instance of the <see cref="ObjectiveAttribute"/> class.
    /// </summary>
    /// <param name="metric">The metric's name, such as <c>auc</c> or <c>rmse</c>.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    public ObjectiveAttribute(string metric, Goal goal)
    {
        Metric = metric;
        Goal = goal;
    }

    /// <summary>Gets the metric's name.</summary>
    public string Metric { get; }

    /// <summary>Gets whether larger or smaller values are better.</summary>
    public Goal Goal { get; }
}
