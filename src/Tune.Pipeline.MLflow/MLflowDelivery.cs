using System.Globalization;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents what an <see cref="MLflowForwarder"/> delivered: outbox messages by kind, and the runs it created.
/// </summary>
public sealed record MLflowDelivery
{
    /// <summary>Gets how many sweep openings and closings were delivered.</summary>
    public int SweepEvents { get; init; }

    /// <summary>Gets how many trial changes were delivered.</summary>
    public int TrialEvents { get; init; }

    /// <summary>Gets how many step values were delivered.</summary>
    public int StepValues { get; init; }

    /// <summary>Gets how many messages MLflow refused for good and were skipped (each was told through the warning).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets how many MLflow runs were created (parent and child runs).</summary>
    public int RunsCreated { get; init; }

    /// <summary>Gets the number of messages taken off the outbox.</summary>
    public int Total => SweepEvents + TrialEvents + StepValues + Skipped;

    /// <summary>Adds two deliveries.</summary>
    /// <param name="left">One delivery.</param>
    /// <param name="right">The other.</param>
    /// <returns>The sum.</returns>
    public static MLflowDelivery operator +(MLflowDelivery left, MLflowDelivery right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new MLflowDelivery
        {
            SweepEvents = left.SweepEvents + right.SweepEvents,
            TrialEvents = left.TrialEvents + right.TrialEvents,
            StepValues = left.StepValues + right.StepValues,
            Skipped = left.Skipped + right.Skipped,
            RunsCreated = left.RunsCreated + right.RunsCreated,
        };
    }

    /// <summary>Adds two deliveries.</summary>
    /// <param name="left">One delivery.</param>
    /// <param name="right">The other.</param>
    /// <returns>The sum.</returns>
    public static MLflowDelivery Add(MLflowDelivery left, MLflowDelivery right) => left + right;

    /// <summary>Describes the delivery in one line, such as <c>3 sweep events, 40 trial events, 200 step values (21 runs created)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{SweepEvents} sweep events, {TrialEvents} trial events, {StepValues} step values ({RunsCreated} runs created{(Skipped > 0 ? $", {Skipped} refused by MLflow and skipped" : string.Empty)})");
}
