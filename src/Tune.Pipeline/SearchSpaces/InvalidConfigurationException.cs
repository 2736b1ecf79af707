namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// The exception thrown when a set of parameter values does not fit a search space: a missing, unknown or
/// out-of-range entry. Its message lists every problem, each naming the parameter.
/// </summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InvalidConfigurationException"/> class.</summary>
    public InvalidConfigurationException()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidConfigurationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InvalidConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidConfigurationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidConfigurationException"/> class.</summary>
    /// <param name="problems">Every problem found, one sentence each.</param>
    public InvalidConfigurationException(IReadOnlyList<string> problems)
        : base(InvalidSearchSpaceException.Compose("The configuration does not fit the search space", problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
