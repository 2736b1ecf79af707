using System.Reflection;

namespace Tune.Pipeline.Generators.Tests.TestHelpers;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.cs</c>. On a mismatch it writes
/// <c>{name}.received.cs</c> beside it and fails; with <c>TUNE_ACCEPT_SNAPSHOTS=1</c> it accepts the new text instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "TUNE_ACCEPT_SNAPSHOTS";

    public static void Match(string name, string actual)
    {
        var directory = Path.Combine(ProjectDirectory(), "Snapshots");
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        var text = actual.ReplaceLineEndings("\n");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (string.Equals(expected, text, StringComparison.Ordinal))
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, text);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet. Review {received}, then rename it, or rerun with {AcceptVariable}=1."
            : $"The output differs from {verified}. Compare it with {received}; rerun with {AcceptVariable}=1 to accept it.");
    }

    private static string ProjectDirectory() =>
        typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ProjectDirectory").Value!;
}
