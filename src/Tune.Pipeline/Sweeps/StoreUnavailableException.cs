namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents a sweep store that cannot be used: unreachable, refused, or written by a newer schema version. The
/// message names the store by a display name (a path, or host, port and database) and never by a connection string.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StoreUnavailableException"/> class.</summary>
    public StoreUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StoreUnavailableException"/> class with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StoreUnavailableException"/> class with a message and its cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The driver's exception.</param>
    public StoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
