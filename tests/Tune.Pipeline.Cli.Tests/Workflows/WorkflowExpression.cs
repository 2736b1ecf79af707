using System.Globalization;
using System.Text;

namespace Tune.Pipeline.Cli.Tests.Workflows;

/// <summary>
/// The part of GitHub Actions' expression language our workflows use, evaluated as a runner does: context lookups
/// (<c>inputs.x</c>, <c>steps.id.outputs.name</c>, <c>job.services.postgres.ports['5432']</c>), string literals,
/// <c>==</c> and <c>!=</c> (strings compared ignoring case), <c>!</c>, <c>&amp;&amp;</c> and <c>||</c> (which return an operand,
/// so <c>inputs.seed || '7'</c> is a default), and the status functions. Anything else, an unknown context name
/// included, throws: a workflow that leans on more than this fails the test instead of being half-understood.
/// </summary>
/// <remarks>Falsy values, as GitHub defines them: <c>false</c>, <c>0</c>, <c>''</c> and null.</remarks>
internal sealed class WorkflowExpression
{
    private readonly string _text;
    private readonly Func<string, object?> _lookup;
    private readonly Func<string, bool> _status;
    private int _at;

    private WorkflowExpression(string text, Func<string, object?> lookup, Func<string, bool> status)
    {
        _text = text;
        _lookup = lookup;
        _status = status;
    }

    /// <summary>Evaluates one expression (without its <c>${{ }}</c>).</summary>
    public static object? Evaluate(string expression, Func<string, object?> lookup, Func<string, bool> status)
    {
        var parser = new WorkflowExpression(expression, lookup, status);
        var value = parser.Or();
        parser.SkipSpace();
        return parser._at == expression.Length ? value : throw new FormatException($"Unexpected '{expression[parser._at..]}' in expression '{expression}'.");
    }

    /// <summary>Replaces every <c>${{ expression }}</c> in <paramref name="text"/> with its value, as a runner does before a step runs.</summary>
    public static string Substitute(string text, Func<string, object?> lookup, Func<string, bool> status)
    {
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${{", at, StringComparison.Ordinal) is var start and >= 0)
        {
            var end = text.IndexOf("}}", start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException($"Unclosed ${{{{ in '{text}'.");
            }

            result.Append(text, at, start - at).Append(Text(Evaluate(text[(start + 3)..end].Trim(), lookup, status)));
            at = end + 2;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Evaluates an <c>if:</c> condition, with or without <c>${{ }}</c>.</summary>
    public static bool Condition(string condition, Func<string, object?> lookup, Func<string, bool> status)
    {
        var trimmed = condition.Trim();
        if (trimmed.StartsWith("${{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))
        {
            trimmed = trimmed[3..^2].Trim();
        }

        return Truthy(Evaluate(trimmed, lookup, status));
    }

    /// <summary>Whether an <c>if:</c> names a status function, which replaces the implied <c>success()</c>.</summary>
    public static bool NamesStatus(string condition) =>
        condition.Contains("always()", StringComparison.Ordinal) || condition.Contains("failure()", StringComparison.Ordinal) || condition.Contains("cancelled()", StringComparison.Ordinal);

    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        _ => true,
    };

    private object? Or()
    {
        var left = And();
        while (Accept("||"))
        {
            var right = And();
            left = Truthy(left) ? left : right;
        }

        return left;
    }

    private object? And()
    {
        var left = Comparison();
        while (Accept("&&"))
        {
            var right = Comparison();
            left = Truthy(left) ? right : left;
        }

        return left;
    }

    private object? Comparison()
    {
        var left = Unary();
        if (Accept("=="))
        {
            return string.Equals(Text(left), Text(Unary()), StringComparison.OrdinalIgnoreCase);
        }

        if (Accept("!="))
        {
            return !string.Equals(Text(left), Text(Unary()), StringComparison.OrdinalIgnoreCase);
        }

        return left;
    }

    private object? Unary() => Accept("!") ? !Truthy(Unary()) : Primary();

    private object? Primary()
    {
        SkipSpace();
        if (Accept("("))
        {
            var value = Or();
            Expect(")");
            return value;
        }

        if (_at < _text.Length && _text[_at] == '\'')
        {
            var end = _text.IndexOf('\'', _at + 1);
            var literal = _text[(_at + 1)..end];
            _at = end + 1;
            return literal;
        }

        var start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '.' or '_' or '-'))
        {
            _at++;
        }

        var name = _text[start.._at];
        if (name.Length == 0)
        {
            throw new FormatException($"Expected a value at '{_text[start..]}' in expression '{_text}'.");
        }

        if (Accept("("))
        {
            Expect(")");
            return name is "always" or "success" or "failure" or "cancelled" ? _status(name) : throw new FormatException($"Function {name}() is not emulated.");
        }

        // Index syntax: ports['5432'] reads as ports.5432.
        while (_at < _text.Length && _text[_at] == '[')
        {
            var end = _text.IndexOf(']', _at);
            name += "." + _text[(_at + 1)..end].Trim('\'');
            _at = end + 1;
        }

        return name is "true" or "false" ? name == "true" : _lookup(name);
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0 || (token == "!" && _at + 1 < _text.Length && _text[_at + 1] == '='))
        {
            return false;
        }

        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new FormatException($"Expected '{token}' in expression '{_text}'.");
        }
    }

    private void SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }
}
