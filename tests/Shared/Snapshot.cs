using System.Reflection;

namespace Tune.Pipeline.Testing;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.{extension}</c> in the test project; on a mismatch
/// writes <c>{name}.received.{extension}</c> beside it and fails. <c>TUNE_ACCEPT_SNAPSHOTS=1</c> accepts the new text.
/// </summary>
/// <remarks>
/// Our own, because the Verify packages are not on our package source. Linked into every test project by
/// build/Test.targets, which also records the project's folder as assembly metadata: deterministic CI builds map
/// source paths, so <c>[CallerFilePath]</c> cannot find the Snapshots folder.
/// </remarks>
internal static class Snapshot
{
    public const string AcceptVariable = "TUNE_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name, string extension = "txt")
    {
        var folder = Path.Combine(ProjectDirectory(), "Snapshots");
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        var text = actual.ReplaceLineEndings("\n").TrimEnd() + "\n";
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (string.Equals(expected, text, StringComparison.Ordinal))
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, text);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet. Review {received}, then rename it, or rerun with {AcceptVariable}=1."
            : $"Snapshot '{name}' differs from {verified}; the new text is in {received}. Compare them, and rerun with {AcceptVariable}=1 if it is right.");
    }

    /// <summary>Gets the test project's folder, as build/Test.targets recorded it.</summary>
    public static string ProjectDirectory() =>
        typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
}
