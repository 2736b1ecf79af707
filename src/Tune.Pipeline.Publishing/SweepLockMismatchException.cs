namespace Tune.Pipeline.Publishing;

/// <summary>
/// The exception thrown when a lock file was written for another search space than the one it is replayed against.
/// </summary>
public sealed class SweepLockMismatchException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SweepLockMismatchException"/> class.</summary>
    public SweepLockMismatchException()
        : this("The lock file does not match the search space.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SweepLockMismatchException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SweepLockMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SweepLockMismatchException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SweepLockMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the fingerprint the lock file records.</summary>
    public string? LockFingerprint { get; init; }

    /// <summary>Gets the fingerprint of the search space it was checked against.</summary>
    public string? SpaceFingerprint { get; init; }
}
