namespace Tune.Pipeline.Reporting.Tests;

/// <summary>
/// Compares text with a checked-in <c>Snapshots/{name}.verified.{extension}</c>; on a mismatch writes
/// <c>{name}.received.{extension}</c> beside it and fails. <c>TUNE_ACCEPT_SNAPSHOTS=1</c> accepts the received text.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name, string extension = "txt")
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "tests", "Tune.Pipeline.Reporting.Tests", "Snapshots");
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        var text = actual.ReplaceLineEndings("\n").TrimEnd() + "\n";

        if (File.Exists(verified) && File.ReadAllText(verified).ReplaceLineEndings("\n") == text)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        if (Environment.GetEnvironmentVariable("TUNE_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, text);
        Assert.Fail($"Snapshot '{name}' differs from {verified}; the new text is in {received}. Compare them, and accept it with TUNE_ACCEPT_SNAPSHOTS=1 if it is right.");
    }
}

internal static class TestPaths
{
    // Deterministic CI builds map source paths, so [CallerFilePath] cannot be trusted; walk up from the output instead.
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tune.Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tune.Pipeline.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A fresh folder under the system temp folder, deleted at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tune-reporting-" + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
