using System.CommandLine;
using System.Text.Json;
using Tune.Pipeline.Publishing;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>
/// <c>where</c>: prints where this experiment's files live: its name, the sweep home, the default store and the folder
/// its model is published to. The MSBuild targets (<c>TunePipelineModel</c>) ask it, so that a consuming application finds
/// the published model by the rule the <c>sweep</c> and <c>retrain</c> verbs publish by, not by a copy of that rule.
/// </summary>
internal sealed class WhereVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _artifacts = VerbOptions.Artifacts();
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object (experiment, home, store, published, hasModel) for scripts." };

    public Command Create()
    {
        var command = new Command("where", "Print the experiment's name, its sweep home, the default store and the folder its model is published to.") { _artifacts, _json };
        command.SetAction((result, ct) => RunAsync(result.GetValue(_artifacts), result.GetValue(_json), ct));
        return command;
    }

    private async Task<int> RunAsync(string? artifacts, bool json, CancellationToken cancellationToken)
    {
        var name = host.Identity.Name;

        // The folder the sweep and retrain verbs publish to: <artifacts>/<experiment>, artifacts defaulting to the home's.
        var published = Path.Combine(Path.GetFullPath(artifacts ?? host.Home.Artifacts), name);
        var hasModel = File.Exists(Path.Combine(published, PublishedManifest.FileName));
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("experiment", name);
                writer.WriteString("home", host.Home.Directory);
                writer.WriteString("store", host.Home.DefaultStore);
                writer.WriteString("published", published);
                writer.WriteBoolean("hasModel", hasModel);
                writer.WriteEndObject();
            }

            await host.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExperimentHost.Success;
        }

        await host.Output.WriteLineAsync($"experiment  {name}").ConfigureAwait(false);
        await host.Output.WriteLineAsync($"home        {host.Home.Directory}").ConfigureAwait(false);
        await host.Output.WriteLineAsync($"store       {host.Home.DefaultStore}").ConfigureAwait(false);
        await host.Output.WriteLineAsync($"published   {published} ({(hasModel ? "holds a published model" : "no model published yet")})").ConfigureAwait(false);
        return ExperimentHost.Success;
    }
}
