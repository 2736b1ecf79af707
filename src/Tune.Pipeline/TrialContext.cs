using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline;

/// <summary>
/// Represents what a running trial knows about itself and how it talks back to the sweep: its number, seed,
/// threads and artifacts directory; <see cref="Report"/> for intermediate values; <see cref="IsStopRequested"/> for
/// early stopping.
/// </summary>
/// <remarks>
/// The sweep controller gives each trial its own instance. Agents that run trials elsewhere (another process or
/// machine) derive from this class to forward reports and stop requests. One trial reports from one thread at a time.
/// </remarks>
public abstract class TrialContext
{
    /// <summary>Initializes a new instance of the <see cref="TrialContext"/> class.</summary>
    /// <param name="trialNumber">The trial's number in its sweep.</param>
    /// <param name="seed">The seed derived for the trial.</param>
    /// <param name="threads">The number of threads the trial may use.</param>
    /// <param name="artifactsDirectory">The directory the trial may write artifacts to.</param>
    protected TrialContext(int trialNumber, long seed, int threads, string artifactsDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialNumber);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(artifactsDirectory);
        TrialNumber = trialNumber;
        Seed = seed;
        Threads = threads;
        ArtifactsDirectory = artifactsDirectory;
    }

    /// <summary>Gets the trial's number: unique and gapless within the sweep, from 0.</summary>
    public int TrialNumber { get; }

    /// <summary>Gets the seed for the trial's own randomness: <c>SeededRandom.Derive(sweepSeed, TrialNumber)</c>.</summary>
    public long Seed { get; }

    /// <summary>Gets the number of threads the trial may use.</summary>
    public int Threads { get; }

    /// <summary>Gets the directory the trial may write artifacts to. Core never creates it.</summary>
    public string ArtifactsDirectory { get; }

    /// <summary>Gets the device the trial's agent was given, such as <c>cuda:0</c> (see <see cref="Devices"/>).</summary>
    /// <value><see langword="null"/> for a CPU agent: the trial runs on the CPU (a GPU experiment on its CPU fallback).</value>
    /// <remarks>Core only carries the name; an experiment opens the device itself (Tune.Pipeline.Gpu's <c>GpuAccelerators</c> with ILGPU).</remarks>
    public string? Device { get; init; }

    /// <summary>Gets a value indicating whether early stopping asked the trial to stop. Return (or throw through <see cref="ThrowIfStopRequested"/>) soon after it turns true.</summary>
    public abstract bool IsStopRequested { get; }

    /// <summary>Gets the last step this context accepted, if any.</summary>
    public StepValue? LastReported { get; private set; }

    /// <summary>Reports the objective's value at a step (an epoch, an iteration, a boosting round).</summary>
    /// <param name="step">The step; strictly increasing within a trial. Early-stopping policies treat it as HyperDrive's interval.</param>
    /// <param name="value">The objective's value at that step; must be finite.</param>
    /// <exception cref="ArgumentException">The step does not increase, or the value is NaN or infinite.</exception>
    /// <remarks>
    /// Every context validates here, once, before <see cref="OnReport"/> forwards the value. A report after
    /// <see cref="IsStopRequested"/> turned true is still accepted and recorded: a trial usually reports the step it is on
    /// before it checks for the stop, and that step is where a pruned trial stopped.
    /// </remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "'step' is the vocabulary's word (DESIGN.md); Visual Basic callers are not a concern for this library.")]
    public void Report(long step, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Trial {TrialNumber} reported {value.ToString(CultureInfo.InvariantCulture)} at step {step}; step values must be finite.", nameof(value));
        }

        if (LastReported is { } last && step <= last.Step)
        {
            throw new ArgumentException($"Trial {TrialNumber} reported step {step} after step {last.Step}; steps must increase.", nameof(step));
        }

        var stepValue = new StepValue(step, value);
        LastReported = stepValue;
        OnReport(stepValue);
    }

    /// <summary>Forwards a validated step report to wherever the trial's steps are recorded.</summary>
    /// <param name="stepValue">The step and its value: the step above every earlier one, the value finite.</param>
    /// <remarks>Called by <see cref="Report"/> only, from the trial's reporting thread.</remarks>
    protected abstract void OnReport(StepValue stepValue);

    /// <summary>Throws <see cref="TrialStoppedException"/> when early stopping asked the trial to stop.</summary>
    /// <exception cref="TrialStoppedException">Early stopping asked the trial to stop.</exception>
    public void ThrowIfStopRequested()
    {
        if (IsStopRequested)
        {
            throw new TrialStoppedException($"Early stopping asked trial {TrialNumber} to stop.");
        }
    }
}
