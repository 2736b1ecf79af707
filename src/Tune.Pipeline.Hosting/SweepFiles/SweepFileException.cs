namespace Tune.Pipeline.Hosting.SweepFiles;

/// <summary>
/// The exception thrown when a sweep file has mistakes. Its message lists every one as
/// <c>file:line:column: message</c>, naming the key and what is allowed.
/// </summary>
internal sealed class SweepFileException : Exception
{
    public SweepFileException()
        : this([])
    {
    }

    public SweepFileException(string message)
        : this([message])
    {
    }

    public SweepFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public SweepFileException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every mistake, one located sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
