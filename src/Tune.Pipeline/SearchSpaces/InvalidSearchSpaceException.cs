namespace Tune.Pipeline.SearchSpaces;

/// <summary>
/// The exception thrown when a search space's definition is invalid; its message lists every problem at once.
/// </summary>
public sealed class InvalidSearchSpaceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InvalidSearchSpaceException"/> class.</summary>
    public InvalidSearchSpaceException()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSearchSpaceException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InvalidSearchSpaceException(string message)
        : this([message])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSearchSpaceException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSearchSpaceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidSearchSpaceException"/> class.</summary>
    /// <param name="problems">Every problem found, one sentence each.</param>
    public InvalidSearchSpaceException(IReadOnlyList<string> problems)
        : base(Compose("The search space is invalid", problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    internal static string Compose(string headline, IReadOnlyList<string> problems) => problems.Count switch
    {
        0 => headline + ".",
        1 => problems[0],
        _ => $"{headline}:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}",
    };
}
