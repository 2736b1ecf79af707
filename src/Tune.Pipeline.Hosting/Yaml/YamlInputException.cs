namespace Tune.Pipeline.Hosting.Yaml;

/// <summary>
/// The exception thrown when a YAML or JSON file cannot be read safely: too large, not UTF-8 text, not valid YAML, more
/// than one document, nested too deep, or expanding too many aliases. Its message is one located sentence,
/// <c>file:line:column: message</c>, that never echoes the file's content.
/// </summary>
internal sealed class YamlInputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="YamlInputException"/> class.</summary>
    public YamlInputException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YamlInputException"/> class.</summary>
    /// <param name="message">The located problem.</param>
    public YamlInputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="YamlInputException"/> class.</summary>
    /// <param name="message">The located problem.</param>
    /// <param name="innerException">The parser's exception.</param>
    public YamlInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
