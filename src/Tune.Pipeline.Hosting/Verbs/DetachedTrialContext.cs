using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>
/// Represents a trial run outside a sweep (<c>evaluate</c>, <c>replay --rerun</c>): nothing records its steps and
/// nothing stops it early.
/// </summary>
internal sealed class DetachedTrialContext(int number, long seed, int threads, string directory) : TrialContext(number, seed, threads, directory)
{
    /// <inheritdoc/>
    public override bool IsStopRequested => false;

    /// <inheritdoc/>
    protected override void OnReport(StepValue stepValue)
    {
    }
}
