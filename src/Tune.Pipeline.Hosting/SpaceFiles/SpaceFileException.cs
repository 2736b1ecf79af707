namespace Tune.Pipeline.Hosting.SpaceFiles;

/// <summary>
/// Represents the mistakes found in a search-space file, each located as <c>file:line:column: message</c>.
/// </summary>
internal sealed class SpaceFileException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SpaceFileException"/> class.</summary>
    public SpaceFileException()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SpaceFileException"/> class with one problem.</summary>
    /// <param name="message">The located problem.</param>
    public SpaceFileException(string message)
        : this([message])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SpaceFileException"/> class with one problem and its cause.</summary>
    /// <param name="message">The located problem.</param>
    /// <param name="innerException">The cause.</param>
    public SpaceFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="SpaceFileException"/> class with every problem found.</summary>
    /// <param name="problems">The located problems.</param>
    public SpaceFileException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem, one sentence each, prefixed with file, line and column.</summary>
    public IReadOnlyList<string> Problems { get; }
}
