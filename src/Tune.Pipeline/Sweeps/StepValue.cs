namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents an intermediate report of the objective at a step (an epoch, an iteration, a boosting round).
/// </summary>
/// <param name="Step">The step, increasing within a trial.</param>
/// <param name="Value">The objective's value at that step.</param>
public readonly record struct StepValue(long Step, double Value);
