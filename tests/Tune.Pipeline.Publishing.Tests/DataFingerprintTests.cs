namespace Tune.Pipeline.Publishing.Tests;

public sealed class DataFingerprintTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string folder, string name, string content)
    {
        Directory.CreateDirectory(_temp.Combine(folder));
        var path = _temp.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task OfFilesAsync_SameDataElsewhere_GivesSameFingerprint()
    {
        var ct = TestContext.Current.CancellationToken;

        var here = await DataFingerprint.OfFilesAsync([Write("a", "data.csv", "x,y\n1,2\n")], ct);
        var there = await DataFingerprint.OfFilesAsync([Write("b", "data.csv", "x,y\n1,2\n")], ct);

        Assert.Equal(here, there);
        Assert.Matches("^sha256:[0-9a-f]{64}$", here);
    }

    [Fact]
    public async Task OfFilesAsync_OneByteChanged_GivesOtherFingerprint()
    {
        var ct = TestContext.Current.CancellationToken;

        var before = await DataFingerprint.OfFilesAsync([Write("a", "data.csv", "x,y\n1,2\n")], ct);
        var after = await DataFingerprint.OfFilesAsync([Write("b", "data.csv", "x,y\n1,3\n")], ct);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task OfFilesAsync_FileRenamed_GivesOtherFingerprint()
    {
        var ct = TestContext.Current.CancellationToken;

        var before = await DataFingerprint.OfFilesAsync([Write("a", "train.csv", "1")], ct);
        var after = await DataFingerprint.OfFilesAsync([Write("b", "test.csv", "1")], ct);

        Assert.NotEqual(before, after);
    }
}
