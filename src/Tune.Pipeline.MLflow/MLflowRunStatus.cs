namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents the status of an MLflow run.
/// </summary>
/// <remarks>
/// Only <see cref="Finished"/>, <see cref="Failed"/> and <see cref="Killed"/> may be sent with
/// <see cref="MLflowClient.UpdateRunAsync"/>: the server silently ignores a status it does not know, so the client checks.
/// </remarks>
public enum MLflowRunStatus
{
    /// <summary>A status the client does not recognise.</summary>
    Unknown = 0,

    /// <summary>The run is in progress (<c>RUNNING</c>).</summary>
    Running = 1,

    /// <summary>The run is scheduled but not started (<c>SCHEDULED</c>).</summary>
    Scheduled = 2,

    /// <summary>The run ended normally (<c>FINISHED</c>).</summary>
    Finished = 3,

    /// <summary>The run ended with an error (<c>FAILED</c>).</summary>
    Failed = 4,

    /// <summary>The run was stopped before it ended (<c>KILLED</c>); Tune.Pipeline uses it for stopped (pruned) trials.</summary>
    Killed = 5,
}
