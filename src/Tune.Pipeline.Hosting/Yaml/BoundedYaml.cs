using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Tune.Pipeline.Hosting.Yaml;

/// <summary>
/// Reads a YAML or JSON file (a sweep file, a space file) within hard limits that protect the machine: size, nesting
/// depth and alias expansion are checked while the parser's events are read, before any tree is built, so that a
/// hostile or broken file is refused in milliseconds with a located message instead of exhausting the stack or the CPU.
/// </summary>
/// <remarks>
/// Limits: <see cref="MaxBytes"/> bytes; UTF-8 only (a UTF-8 byte-order mark is skipped; UTF-16 and UTF-32 are refused
/// by name); no NUL or other control characters (YAML allows none but tab, line feed and carriage return); one
/// document; <see cref="MaxDepth"/> levels of nesting; <see cref="MaxNodes"/> nodes once every alias is expanded.
/// </remarks>
internal static class BoundedYaml
{
    /// <summary>The largest file read: a sweep file is a few hundred bytes, a generated space file a few kilobytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// The deepest nesting of mappings and sequences. A sweep file nests four levels (publish.azure.container); YamlDotNet
    /// builds its tree recursively, and about 50,000 levels overflow the stack, which kills the process uncatchably.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes in a document with every alias expanded; "billion laughs" files expand to far more.</summary>
    public const int MaxNodes = 100_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a file's text: checks its size, encoding and characters.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="kind">What the file is, for messages ("sweep file").</param>
    /// <returns>The text, without a byte-order mark.</returns>
    /// <exception cref="YamlInputException">The file is missing, unreadable, too large or not UTF-8 text.</exception>
    public static string ReadText(string path, string kind)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new YamlInputException($"{path}: the {kind} does not exist. Check the path.");
            }

            if (info.Length > MaxBytes)
            {
                throw new YamlInputException($"{path}:1:1: the {kind} is {info.Length:N0} bytes; it may be at most {MaxBytes:N0} bytes (1 MiB). Is it the right file?");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new YamlInputException($"{path}: the {kind} cannot be read: {exception.Message}", exception);
        }

        return Decode(bytes, path, kind);
    }

    /// <summary>Decodes a file's bytes as UTF-8 text, refusing other encodings, binary data and control characters.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <param name="kind">What the file is, for messages.</param>
    /// <returns>The text, without a byte-order mark.</returns>
    /// <exception cref="YamlInputException">The bytes are too many or not UTF-8 text.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string fileName, string kind)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new YamlInputException($"{fileName}:1:1: the {kind} is {bytes.Length:N0} bytes; it may be at most {MaxBytes:N0} bytes (1 MiB). Is it the right file?");
        }

        // UTF-32 first: its little-endian mark begins with UTF-16's.
        if (bytes.StartsWith((byte[])[0xFF, 0xFE, 0x00, 0x00]) || bytes.StartsWith((byte[])[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new YamlInputException($"{fileName}:1:1: the {kind} is UTF-32 (it starts with a UTF-32 byte-order mark); save it as UTF-8.");
        }

        if (bytes.StartsWith((byte[])[0xFF, 0xFE]) || bytes.StartsWith((byte[])[0xFE, 0xFF]))
        {
            throw new YamlInputException($"{fileName}:1:1: the {kind} is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8.");
        }

        if (bytes.StartsWith((byte[])[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        // UTF-16 without a mark puts a NUL beside every ASCII character: name the encoding rather than "binary".
        if (bytes.Length >= 2 && (bytes[0] == 0 || bytes[1] == 0) && bytes[0] != bytes[1])
        {
            throw new YamlInputException($"{fileName}:1:1: the {kind} looks like UTF-16 (a NUL byte beside each character); save it as UTF-8.");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            var at = exception.Index >= 0 && exception.Index <= bytes.Length ? Position(StrictUtf8.GetString(Valid(bytes[..exception.Index])), exception.Index) : "1:1";
            throw new YamlInputException($"{fileName}:{at}: the {kind} is not UTF-8 text (an invalid byte sequence here); save it as UTF-8, or check that it is not a binary file.", exception);
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r') && c < '\u0080')
            {
                var what = c == '\0' ? "a NUL byte" : $"the control character U+{(int)c:X4}";
                throw new YamlInputException($"{fileName}:{Position(text, i)}: the {kind} holds {what}, which YAML does not allow; is it a binary file? A {kind} is UTF-8 text.");
            }
        }

        return text;
    }

    /// <summary>Parses YAML or JSON text within the limits.</summary>
    /// <param name="text">The text.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <param name="kind">What the file is, for messages.</param>
    /// <returns>The document's root node; <see langword="null"/> when the text holds no document.</returns>
    /// <exception cref="YamlInputException">The text is not valid YAML, or breaks a limit.</exception>
    public static YamlNode? Parse(string text, string fileName, string kind)
    {
        if (text.Length > MaxBytes)
        {
            throw new YamlInputException($"{fileName}:1:1: the {kind} is {text.Length:N0} characters; it may be at most {MaxBytes:N0} bytes (1 MiB). Is it the right file?");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new LimitingParser(new Parser(new StringReader(text)), fileName, kind));
        }
        catch (YamlInputException)
        {
            throw;
        }
        catch (YamlException exception)
        {
            // YamlDotNet's messages name the construct, not the content, but a few quote an anchor: keep them to a line.
            throw new YamlInputException($"{fileName}:{exception.Start.Line}:{exception.Start.Column}: the {kind} is not valid YAML or JSON: {Shown.Line(exception.Message, maxLength: 200)}", exception);
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet throws this, not a YamlException, for some broken input (an unclosed flow mapping was reported);
            // it carries no position, so the end of the text, where the parser stopped, is given.
            throw new YamlInputException($"{fileName}:{LimitingParser.LastMark(text)}: the {kind} is not valid YAML or JSON: {Shown.Line(exception.Message, maxLength: 200)}", exception);
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private static string Position(string before, int index)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < Math.Min(index, before.Length); i++)
        {
            if (before[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return $"{line}:{column}";
    }

    // The valid prefix of a byte span cut in the middle of a character: drop the partial character's bytes.
    private static byte[] Valid(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
        }

        if (end > 0 && bytes[end - 1] >= 0xC0)
        {
            end--;
        }

        return bytes[..end].ToArray();
    }

    /// <summary>Passes a parser's events on, refusing a second document, deep nesting and runaway alias expansion.</summary>
    private sealed class LimitingParser(IParser inner, string fileName, string kind) : IParser
    {
        private readonly Stack<(string? Anchor, long NodesBefore)> _open = new();
        private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
        private long _nodes;
        private int _documents;

        public ParsingEvent? Current => inner.Current;

        public static string LastMark(string text)
        {
            var lines = text.Split('\n');
            return $"{lines.Length}:{lines[^1].Length + 1}";
        }

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            var current = inner.Current!;
            switch (current)
            {
                case DocumentStart { IsImplicit: var isImplicit } when ++_documents > 1:
                    throw Refuse(current, $"the {kind} holds more than one YAML document{(isImplicit ? string.Empty : " (a second '---' here)")}; it must be one document. Remove the '---' separator, or keep one document per file.");
                case MappingStart or SequenceStart:
                    _open.Push((((NodeEvent)current).Anchor is { IsEmpty: false } anchor ? anchor.Value : null, _nodes));
                    _nodes++;
                    if (_open.Count > MaxDepth)
                    {
                        throw Refuse(current, $"the {kind} nests more than {MaxDepth} levels of mappings and sequences; flatten it.");
                    }

                    break;
                case MappingEnd or SequenceEnd when _open.Count > 0:
                    var (name, before) = _open.Pop();
                    if (name is not null)
                    {
                        _anchorSizes[name] = _nodes - before;
                    }

                    break;
                case Scalar scalar:
                    _nodes++;
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchorSizes[scalar.Anchor.Value] = 1;
                    }

                    break;
                case AnchorAlias alias:
                    // An alias stands for a copy of its anchor's node: count the copy, as anything walking the tree will.
                    _nodes += _anchorSizes.TryGetValue(alias.Value.Value, out var size) ? size : 1;
                    break;
            }

            if (_nodes > MaxNodes)
            {
                throw Refuse(current, $"the {kind} holds more than {MaxNodes:N0} values, counting each alias (*name) as a copy of what it names; write fewer values, or use fewer aliases.");
            }

            return true;
        }

        private YamlInputException Refuse(ParsingEvent at, string message) => new($"{fileName}:{at.Start.Line}:{at.Start.Column}: {message}");
    }
}
