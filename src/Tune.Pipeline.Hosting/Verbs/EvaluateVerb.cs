using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>
/// <c>evaluate</c>: runs a published model's configuration as a trial once per seed, in this process, and reports each
/// objective value. <c>tune gate --repeats</c> calls it for the baseline and the candidate, with the same seeds, to see
/// how much of a difference is seed noise.
/// </summary>
internal sealed class EvaluateVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    /// <summary>The most seeds one evaluation runs: each is a full trial.</summary>
    public const int MaxSeeds = 100;

    private readonly Option<string> _manifest = new("--manifest")
    {
        Description = "The published folder, or its manifest.json, whose parameters are evaluated.",
        Required = true,
    };

    private readonly Option<string> _seeds = new("--seeds")
    {
        Description = $"The trials' seeds, comma-separated (at most {MaxSeeds}): one trial per seed.",
        Required = true,
    };

    private readonly Option<string?> _output = new("--output") { Description = "Also write the values as JSON ({\"seeds\":[...],\"values\":[...]}) to this file." };

    private readonly Option<int?> _threadsPerTrial = VerbOptions.ThreadsPerTrial();

    public Command Create()
    {
        var command = new Command("evaluate", "Run a published model's configuration as a trial once per seed and print each objective value (what `tune gate --repeats` compares).")
        {
            _manifest, _seeds, _output, _threadsPerTrial,
        };
        command.SetAction((result, ct) => RunAsync(result.GetValue(_manifest)!, result.GetValue(_seeds)!, result.GetValue(_output), result.GetValue(_threadsPerTrial), ct));
        return command;
    }

    private async Task<int> RunAsync(string manifestPath, string seedsText, string? output, int? threadsPerTrial, CancellationToken cancellationToken)
    {
        var seeds = ParseSeeds(seedsText);
        if (threadsPerTrial is < 1)
        {
            throw new UsageException($"--threads-per-trial is {threadsPerTrial}; it must be at least 1.");
        }

        PublishedManifest manifest;
        try
        {
            manifest = await PublishedManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new UsageException(e.Message);
        }

        if (!string.Equals(manifest.Experiment, host.Identity.Name, StringComparison.Ordinal))
        {
            throw new UsageException($"{manifest.ManifestPath} was published by experiment '{manifest.Experiment}', not '{host.Identity.Name}'.");
        }

        Configuration configuration;
        try
        {
            // The declared space reads any configuration a sweep file's narrowed space produced.
            configuration = host.Space.FromDictionary(manifest.Parameters);
        }
        catch (InvalidConfigurationException e)
        {
            throw new UsageException($"The parameters in {manifest.ManifestPath} do not fit {host.Identity.Name}'s search space: {e.Message}");
        }

        var threads = threadsPerTrial ?? Environment.ProcessorCount;
        var workspace = Directory.CreateTempSubdirectory("tune-evaluate-");
        var experiment = new TExperiment();
        try
        {
            // Prepared once, as an agent prepares its data once for all its trials.
            await experiment.PrepareAsync(new ExperimentContext { Seed = seeds[0], Threads = threads, ArtifactsDirectory = workspace.FullName }, cancellationToken).ConfigureAwait(false);
            var parameters = host.Space.ToParameters(configuration);
            var values = new double[seeds.Length];
            for (var i = 0; i < seeds.Length; i++)
            {
                var directory = workspace.CreateSubdirectory(i.ToString(CultureInfo.InvariantCulture)).FullName;
                var result = await experiment.RunTrialAsync(parameters, new DetachedTrialContext(i, seeds[i], threads, directory), cancellationToken).ConfigureAwait(false);
                values[i] = result.Objective;
                await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"seed {seeds[i]}: {host.Identity.ObjectiveMetric} = {values[i]:R}")).ConfigureAwait(false);
            }

            if (output is not null)
            {
                await File.WriteAllBytesAsync(output, JsonSerializer.SerializeToUtf8Bytes(new EvaluationJson(seeds, values), EvaluationJsonContext.Default.EvaluationJson), cancellationToken).ConfigureAwait(false);
            }

            return ExperimentHost.Success;
        }
        finally
        {
            await HostedExperiment<TExperiment, TParameters>.ReleaseAsync(experiment).ConfigureAwait(false);
            workspace.Delete(recursive: true);
        }
    }

    private static long[] ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxSeeds)
        {
            throw new UsageException($"--seeds names {parts.Length} seeds; at most {MaxSeeds} are allowed.");
        }

        var seeds = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seeds[i]))
            {
                throw new UsageException($"--seeds is {Shown.Value(text)}; use whole numbers separated by commas, such as 1,2,3.");
            }
        }

        return seeds;
    }
}
