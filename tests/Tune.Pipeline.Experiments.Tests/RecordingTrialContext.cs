using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Experiments.Tests;

/// <summary>A trial context that records the steps reported to it and asks for a stop after a given number of them.</summary>
internal sealed class RecordingTrialContext(string artifactsDirectory, int stopAfterReports = int.MaxValue)
    : TrialContext(trialNumber: 0, seed: 7, threads: 1, artifactsDirectory)
{
    public List<StepValue> Steps { get; } = [];

    public override bool IsStopRequested => Steps.Count >= stopAfterReports;

    protected override void OnReport(StepValue stepValue) => Steps.Add(stepValue);
}
