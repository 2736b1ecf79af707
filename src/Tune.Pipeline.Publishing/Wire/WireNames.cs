using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing.Wire;

/// <summary>The words the files use for enum values, and their way back.</summary>
internal static class WireNames
{
    public static string Of(Goal goal) => goal == Goal.Maximize ? "maximize" : "minimize";

    public static string Of(TrialState state) => state switch
    {
        TrialState.Pending => "pending",
        TrialState.Running => "running",
        TrialState.Completed => "completed",
        TrialState.Pruned => "pruned",
        _ => "failed",
    };

    public static string Of(SweepStopReason reason) => reason switch
    {
        SweepStopReason.MaxTrials => "maxTrials",
        SweepStopReason.SearchSpaceExhausted => "searchSpaceExhausted",
        SweepStopReason.MaxDuration => "maxDuration",
        SweepStopReason.NoImprovement => "noImprovement",
        SweepStopReason.TargetReached => "targetReached",
        _ => "cancelled",
    };

    public static bool TryParseGoal(string text, out Goal goal)
    {
        goal = text == "maximize" ? Goal.Maximize : Goal.Minimize;
        return text is "maximize" or "minimize";
    }

    public static bool TryParseState(string text, out TrialState state)
    {
        foreach (var candidate in Enum.GetValues<TrialState>())
        {
            if (Of(candidate) == text)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static bool TryParseStopReason(string text, out SweepStopReason reason)
    {
        foreach (var candidate in Enum.GetValues<SweepStopReason>())
        {
            if (Of(candidate) == text)
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
