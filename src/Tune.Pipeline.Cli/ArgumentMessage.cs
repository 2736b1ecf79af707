namespace Tune.Pipeline.Cli;

/// <summary>Turns a settings check's <see cref="ArgumentException"/> into the sentence a user reads.</summary>
internal static class ArgumentMessage
{
    /// <summary>Gets the message without the <c> (Parameter 'name')</c> that .NET appends: the parameter is ours, not the user's.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The message's own text.</returns>
    public static string Sentence(ArgumentException exception) => exception.Message.Split(" (Parameter")[0];
}
