namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// The exception thrown when another forwarder holds the store's tracking slot: a tracked sweep delivering its own
/// events, or a <c>tune mlflow sync</c>. Nothing is lost; that forwarder delivers what waits.
/// </summary>
public sealed class MLflowForwarderBusyException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MLflowForwarderBusyException"/> class.</summary>
    public MLflowForwarderBusyException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowForwarderBusyException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MLflowForwarderBusyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowForwarderBusyException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MLflowForwarderBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets who holds the slot: the machine and process of the other forwarder.</summary>
    public string? Holder { get; init; }
}
