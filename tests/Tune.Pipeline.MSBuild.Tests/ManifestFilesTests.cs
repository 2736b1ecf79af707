namespace Tune.Pipeline.MSBuild.Tests;

public sealed class ManifestFilesTests : IDisposable
{
    private const string Hash = "3aa946c164019cabc8590fb8ccdcd51b4fca1614ab2a8fe8162366c896571768";

    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("tune-manifest-").FullName, "manifest.json");

    [Fact]
    public void Read_APublishedManifest_ReturnsTheExperimentAndFiles()
    {
        File.WriteAllText(_file, $$"""{"schemaVersion": 1, "experiment": "wine", "files": [{"path": "model/model.zip", "bytes": 18, "sha256": "{{Hash.ToUpperInvariant()}}"}]}""");

        var manifest = ManifestFiles.Read(_file);

        Assert.Equal("wine", manifest.Experiment);
        Assert.Equal(new ManifestFile("model/model.zip", 18, Hash), Assert.Single(manifest.Files));
    }

    [Theory]
    [InlineData("{", "it is not valid JSON")]
    [InlineData("[]", "it is not a JSON object")]
    [InlineData("""{"schemaVersion": 2, "experiment": "wine", "files": []}""", "its schemaVersion is not 1")]
    [InlineData("""{"schemaVersion": "1", "experiment": "wine", "files": []}""", "its schemaVersion is not 1")]
    [InlineData("""{"schemaVersion": 1, "files": []}""", "it names no experiment")]
    [InlineData("""{"schemaVersion": 1, "experiment": "wine"}""", "it has no 'files' list")]
    [InlineData("""{"schemaVersion": 1, "experiment": "wine", "files": [{"path": "m.zip", "bytes": "18", "sha256": "HASH"}]}""", "lacks a path, bytes or a 64-digit sha256")]
    [InlineData("""{"schemaVersion": 1, "experiment": "wine", "files": [{"path": "m.zip", "bytes": 18, "sha256": "xyz"}]}""", "lacks a path, bytes or a 64-digit sha256")]
    [InlineData("""{"schemaVersion": 1, "experiment": "wine", "files": [{"path": "../../etc/passwd", "bytes": 18, "sha256": "HASH"}]}""", "its file path '../../etc/passwd' is not a plain path inside the published folder")]
    [InlineData("""{"schemaVersion": 1, "experiment": "wine", "files": [{"path": "/etc/passwd", "bytes": 18, "sha256": "HASH"}]}""", "its file path '/etc/passwd' is not a plain path inside the published folder")]
    public void Read_AFileThatIsNotAManifest_SaysWhatIsWrong(string text, string expected)
    {
        File.WriteAllText(_file, text.Replace("HASH", Hash, StringComparison.Ordinal));

        var exception = Assert.Throws<InvalidDataException>(() => ManifestFiles.Read(_file));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
}
