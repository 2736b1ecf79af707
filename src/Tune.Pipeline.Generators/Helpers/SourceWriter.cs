using System;
using System.Text;

namespace Tune.Pipeline.Generators.Helpers;

/// <summary>
/// Writes C# source line by line, indenting each line by the current depth, always with LF line endings so that
/// generated files are identical on every operating system.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation; an empty line carries no indentation.</summary>
    /// <param name="text">The line's text.</param>
    public void WriteLine(string text = "")
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < _depth; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(text);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes an opening brace and indents the lines that follow until the returned scope is disposed.</summary>
    /// <returns>The scope, which writes the closing brace (with <paramref name="closing"/> appended).</returns>
    /// <param name="closing">Text after the closing brace, such as <c>)</c> or <c>;</c>.</param>
    public Scope Block(string closing = "")
    {
        WriteLine("{");
        _depth++;
        return new Scope(this, closing);
    }

    /// <inheritdoc/>
    public override string ToString() => _builder.ToString();

    /// <summary>Represents an indented block that ends with a closing brace.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        /// <summary>Initializes a new instance of the <see cref="Scope"/> struct.</summary>
        /// <param name="writer">The writer.</param>
        /// <param name="closing">Text after the closing brace.</param>
        public Scope(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        /// <summary>Closes the block.</summary>
        public void Dispose()
        {
            _writer._depth--;
            _writer.WriteLine("}" + _closing);
        }
    }
}
