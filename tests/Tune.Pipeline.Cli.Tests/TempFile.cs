namespace Tune.Pipeline.Cli.Tests;

/// <summary>A file in the temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string text, string extension = ".yaml")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tune-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
