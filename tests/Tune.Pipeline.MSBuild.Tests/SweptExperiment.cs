namespace Tune.Pipeline.MSBuild.Tests;

/// <summary>
/// The test experiment as a project of a temporary folder, swept once by <c>dotnet build -t:TunePipelineSweep</c> with its
/// TunePipeline* properties (3 trials, seed 1, sweep 'msbuild'), which publishes its model under its own artifacts/.
/// </summary>
public sealed class SweptExperiment : IAsyncLifetime
{
    private readonly BuildFolder _folder = new();

    internal BuildFolder Folder => _folder;

    public string Project { get; private set; } = string.Empty;

    public string Published => Path.Combine(_folder.Directory, "Exp", "artifacts", "QuadraticExperiment");

    public int SweepCode { get; private set; }

    public string SweepOutput { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Project = _folder.WriteExperiment("Exp", """
            <TunePipelineSweepName>msbuild</TunePipelineSweepName>
            <TunePipelineMaxTrials>3</TunePipelineMaxTrials>
            <TunePipelineSeed>1</TunePipelineSeed>
            """);
        (SweepCode, SweepOutput) = await BuildFolder.BuildAsync(Project, "-t:TunePipelineSweep");
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
