namespace Tune.Pipeline.Publishing.Tests;

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

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tune-publishing-" + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
