namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Specifies what <see cref="MLflowClient"/> does with a param or tag value longer than the server keeps.
/// </summary>
/// <remarks>
/// MLflow truncates a long param value without telling anyone, so the client never sends one: it either refuses the
/// call or truncates the value itself and reports a warning that names the key and both lengths.
/// </remarks>
public enum OversizeValuePolicy
{
    /// <summary>Throw an <see cref="MLflowValidationException"/> that lists every oversize value; nothing is sent.</summary>
    Refuse = 0,

    /// <summary>Cut the value to the server's limit and report a warning through <see cref="MLflowClientOptions.Warning"/> and <see cref="MLflowBatchResult.Warnings"/>.</summary>
    Truncate = 1,
}
