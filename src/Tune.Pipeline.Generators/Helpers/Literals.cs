using System;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Tune.Pipeline.Generators.Helpers;

/// <summary>
/// Formats values as C# literals and as message text, with the invariant culture and round-trip precision, so that a
/// bound of <c>1e-3</c> comes out identical on every machine and locale.
/// </summary>
internal static class Literals
{
    /// <summary>Formats a <see cref="double"/> as a C# literal of type double.</summary>
    /// <param name="value">The value; finite.</param>
    /// <returns>The literal, such as <c>0.001</c> or <c>1E-05</c>, suffixed with <c>d</c> when it would read as an integer.</returns>
    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E']) >= 0 ? text : text + "d";
    }

    /// <summary>Formats a <see cref="float"/> as a C# literal of type float.</summary>
    /// <param name="value">The value; finite.</param>
    /// <returns>The literal, such as <c>0.1f</c>.</returns>
    public static string Single(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>Formats a <see cref="long"/> as a C# literal of type long.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal, such as <c>8L</c>.</returns>
    public static string Int64(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    /// <summary>Formats an <see cref="int"/> as a C# literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public static string Int32(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a string as a quoted, escaped C# literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Formats a number for a diagnostic message, as the runtime formats it (<c>1E-06</c>, <c>0.1</c>, <c>300</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Display(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a constant for a diagnostic message: strings quoted, numbers invariant, enums by member.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Display(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        double d => Display(d),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Escapes an identifier that is a C# keyword with <c>@</c>.</summary>
    /// <param name="name">The identifier.</param>
    /// <returns>The identifier as it must appear in source.</returns>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>Converts a class name to kebab case: <c>FaqMatching</c> becomes <c>faq-matching</c>.</summary>
    /// <param name="name">The class name.</param>
    /// <returns>The kebab-case name.</returns>
    public static string KebabCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the last capital of
                // an acronym ("XGBoost" is "xg-boost").
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next))))
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c == '_' ? '-' : c);
            }
        }

        return builder.ToString();
    }
}
