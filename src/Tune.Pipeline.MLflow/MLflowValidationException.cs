namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents values that the client refused to send because the server would reject or silently change them:
/// invalid keys, oversize values, a param given two values, an unknown run status.
/// </summary>
/// <remarks>Nothing of the call was sent. The message lists every problem, one sentence each.</remarks>
public sealed class MLflowValidationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MLflowValidationException"/> class.</summary>
    public MLflowValidationException()
    {
        Problems = [];
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowValidationException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MLflowValidationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowValidationException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MLflowValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="MLflowValidationException"/> class listing every problem.</summary>
    /// <param name="problems">One sentence per problem.</param>
    public MLflowValidationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Gets every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
