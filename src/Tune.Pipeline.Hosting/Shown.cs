using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Turns a user's value into text fit for a message: at most a line, control characters escaped, and never a value
/// that may hold a secret (a connection string, a URL with a password or token, a key).
/// </summary>
internal static partial class Shown
{
    /// <summary>The most characters of a value a message shows; longer values are cut and their length given.</summary>
    public const int MaxLength = 60;

    /// <summary>Gets the text shown in place of a value that may hold a secret.</summary>
    public const string Hidden = "(a value that may hold a secret, not shown)";

    /// <summary>Quotes a value for a message: <c>'value'</c>, shortened, or <see cref="Hidden"/>.</summary>
    /// <param name="value">The value as the user wrote it.</param>
    /// <returns>The text to show.</returns>
    public static string Value(string? value) =>
        value is null ? "(not a single value)" : MayHoldSecret(value) ? Hidden : $"'{Line(value)}'";

    /// <summary>Shortens text to one line of at most <paramref name="maxLength"/> characters, escaping control characters.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The most characters kept; a value's default is <see cref="MaxLength"/>, a sentence's may be longer.</param>
    /// <returns>The shortened text.</returns>
    public static string Line(string text, int maxLength = MaxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > maxLength ? text[..(maxLength - 20)] : text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return text.Length > maxLength ? $"{builder}... ({text.Length:N0} characters)" : builder.ToString();
    }

    /// <summary>
    /// Tells whether a value may hold a secret: a connection string (<c>key=value;</c>), a URL with a user, password or
    /// query (a SAS token), or a long run of base64 such as an account key. Such values are never echoed.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it may hold a secret.</returns>
    public static bool MayHoldSecret(string value) =>
        value.Contains('=', StringComparison.Ordinal)
        || value.Contains(';', StringComparison.Ordinal)
        || UrlWithUser().IsMatch(value)
        || SecretWord().IsMatch(value)
        || LongBase64().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithUser();

    [GeneratedRegex("password|passwd|secret|token|accountkey|sharedaccess|sig=", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretWord();

    // Azure account keys are 88 base64 characters, SAS signatures 44: 32 or more is no word or path a user types.
    [GeneratedRegex("(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Za-z])[A-Za-z0-9+/]{32,}", RegexOptions.CultureInvariant)]
    private static partial Regex LongBase64();
}
