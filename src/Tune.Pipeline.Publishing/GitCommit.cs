using System.Text.RegularExpressions;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Reads the commit checked out in a Git working tree straight from its <c>.git</c> files, without starting
/// <c>git</c>: loose and packed refs, a detached HEAD, and linked worktrees (a <c>.git</c> file pointing at the
/// repository's <c>worktrees/</c> folder).
/// </summary>
public static partial class GitCommit
{
    /// <summary>The value recorded when the commit cannot be read: not a repository, an unborn branch, or a ref format we do not read (reftable).</summary>
    public const string Unknown = "unknown";

    /// <summary>Finds the working tree at or above <paramref name="directory"/> and reads the commit its HEAD points to.</summary>
    /// <param name="directory">A directory inside the working tree.</param>
    /// <returns>The full commit id in lower-case hex, or <see cref="Unknown"/>.</returns>
    public static string Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        try
        {
            var gitDirectory = FindGitDirectory(Path.GetFullPath(directory));
            return gitDirectory is null ? Unknown : ReadHead(gitDirectory) ?? Unknown;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A commit id is provenance, not a reason to fail a publish.
            return Unknown;
        }
    }

    private static string? FindGitDirectory(string start)
    {
        for (var current = new DirectoryInfo(start); current is not null; current = current.Parent)
        {
            var dotGit = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                return dotGit;
            }

            if (File.Exists(dotGit))
            {
                // A linked worktree or a submodule: ".git" is a file holding "gitdir: <path>", relative to the file.
                var line = File.ReadAllText(dotGit).Trim();
                const string Prefix = "gitdir:";
                return line.StartsWith(Prefix, StringComparison.Ordinal)
                    ? Path.GetFullPath(Path.Combine(current.FullName, line[Prefix.Length..].Trim()))
                    : null;
            }
        }

        return null;
    }

    private static string? ReadHead(string gitDirectory)
    {
        var head = File.ReadAllText(Path.Combine(gitDirectory, "HEAD")).Trim();
        if (IsObjectId(head))
        {
            return Lower(head);
        }

        const string RefPrefix = "ref:";
        if (!head.StartsWith(RefPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = head[RefPrefix.Length..].Trim();

        // A linked worktree keeps HEAD in its own folder and shares refs with the main repository ("commondir").
        var commonFile = Path.Combine(gitDirectory, "commondir");
        var common = File.Exists(commonFile)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonFile).Trim()))
            : gitDirectory;

        foreach (var root in gitDirectory == common ? [gitDirectory] : new[] { gitDirectory, common })
        {
            var loose = Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(loose))
            {
                var id = File.ReadAllText(loose).Trim();
                return IsObjectId(id) ? Lower(id) : null;
            }
        }

        var packed = Path.Combine(common, "packed-refs");
        if (File.Exists(packed))
        {
            foreach (var line in File.ReadLines(packed))
            {
                // "<id> <ref>"; lines starting with '#' are headers and '^' peeled tags.
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && string.Equals(line[(space + 1)..].Trim(), name, StringComparison.Ordinal) && IsObjectId(line[..space]))
                {
                    return Lower(line[..space]);
                }
            }
        }

        return null;
    }

    // SHA-1 (40) or SHA-256 (64) object ids.
    private static bool IsObjectId(string text) => ObjectIdPattern().IsMatch(text);

    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectIdPattern();

    // Hex digits only, so no culture question arises (and CA1308 has no reason to object).
    private static string Lower(string hex) => string.Create(hex.Length, hex, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'A' and <= 'F' ? (char)(c + ('a' - 'A')) : c;
        }
    });
}
