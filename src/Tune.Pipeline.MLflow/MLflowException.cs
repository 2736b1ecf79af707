using System.Net;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents an error answered by an MLflow tracking server, or its absence after every retry.
/// </summary>
/// <remarks>
/// The message names the call and carries the server's own message; it never carries a password, token or the
/// credentials of the tracking URI.
/// </remarks>
public sealed class MLflowException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MLflowException"/> class.</summary>
    public MLflowException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MLflowException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MLflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowException"/> class for an answer or an outage.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status answered, if any.</param>
    /// <param name="errorCode">The MLflow error code (see <see cref="MLflowErrorCodes"/>).</param>
    /// <param name="serverMessage">The server's own message.</param>
    /// <param name="isTransient">Whether trying the same call later may succeed.</param>
    /// <param name="innerException">The cause.</param>
    public MLflowException(string message, HttpStatusCode? statusCode, string? errorCode, string? serverMessage, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status answered; <see langword="null"/> when the server could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the MLflow error code, such as <see cref="MLflowErrorCodes.InvalidParameterValue"/>.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the server's own message, if it sent one.</summary>
    public string? ServerMessage { get; }

    /// <summary>
    /// Gets a value indicating whether trying the same call later may succeed: the server was unreachable or answered
    /// 429 or 5xx on every attempt. A 4xx answer is never transient.
    /// </summary>
    public bool IsTransient { get; }
}
