using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.Cli.Experiments;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Hosting.Verbs;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Reporting;

namespace Tune.Pipeline.Cli.Gate;

/// <summary>
/// <c>tune gate CANDIDATE --baseline PATH</c>: compares a candidate model's published objective with a baseline's and
/// fails on a regression beyond what is allowed; with <c>--repeats k</c>, retrains both configurations k times through
/// the experiment's <c>evaluate</c> verb and gates on a Welch t confidence bound (<see cref="GateVerdict.Compare(Goal, IReadOnlyList{double}, IReadOnlyList{double}, GateAllowance, double)"/>).
/// </summary>
/// <remarks>Exit codes: 0 pass, 1 regression, 2 usage or refusal, 3 baseline unreachable.</remarks>
internal static class GateCommand
{
    /// <summary>The exit code of a regression.</summary>
    public const int Regression = 1;

    /// <summary>The exit code of a baseline that cannot be read from where it was said to be.</summary>
    public const int BaselineUnreachable = 3;

    /// <summary>The most repeats a gate runs: each is two full trials.</summary>
    public const int MaxRepeats = 100;

    /// <summary>Creates the command.</summary>
    /// <returns>The <c>gate</c> command.</returns>
    public static Command Create()
    {
        var candidate = new Argument<string>("candidate") { Description = "The candidate model: a published folder (artifacts/<experiment>) or its manifest.json." };
        var baseline = new Option<string>("--baseline")
        {
            Description = "The baseline model: a published folder or its manifest.json, the folder's Azure Blob URL (https://account.blob.core.windows.net/container/prefix; a SAS token on it, or AZURE_STORAGE_CONNECTION_STRING), or an MLflow registered model version (models:/NAME/VERSION, with MLFLOW_TRACKING_URI).",
            Required = true,
        };
        var maxRegression = new Option<string>("--max-regression")
        {
            Description = "How much worse than the baseline the candidate may be, in the objective's direction: an amount (0.01) or a percentage of the baseline (2%). Default 0.",
            DefaultValueFactory = _ => "0",
        };
        var dataChanged = new Option<bool>("--data-changed") { Description = "The data changed on purpose: compare models whose data fingerprints differ." };
        var repeats = new Option<int?>("--repeats") { Description = $"Noise-aware: evaluate both configurations with this many seeds (2 to {MaxRepeats}) through the experiment and gate on a confidence bound." };
        var experiment = new Option<string?>("--experiment") { Description = "With --repeats: the experiment (project folder, .csproj or name); defaults to the candidate's experiment under experiments/." };
        var seed = new Option<long>("--seed") { Description = "With --repeats: the seed the k trial seeds are derived from (the same k for both models).", DefaultValueFactory = _ => 1 };
        var confidence = new Option<double>("--confidence") { Description = "With --repeats: the one-sided confidence level of the bound, between 0.5 and 1 (default 0.95).", DefaultValueFactory = _ => 0.95 };
        var noBuild = new Option<bool>("--no-build") { Description = "With --repeats: run the experiment as last built." };
        var configuration = new Option<string>("--configuration", "-c") { Description = "With --repeats: the experiment's build configuration.", DefaultValueFactory = _ => "Release" };
        var summary = new Option<string?>("--summary") { Description = "Write the markdown summary to this file (it is also appended to $GITHUB_STEP_SUMMARY when that is set)." };
        var command = new Command("gate", "Compare a candidate model with a baseline and fail on a regression: exit 0 pass, 1 regression, 2 usage or refusal, 3 baseline unreachable.")
        {
            candidate, baseline, maxRegression, dataChanged, repeats, experiment, seed, confidence, noBuild, configuration, summary,
        };
        command.SetAction((result, ct) => RunAsync(
            new GateRequest(
                result.GetValue(candidate)!,
                result.GetValue(baseline)!,
                result.GetValue(maxRegression)!,
                result.GetValue(dataChanged),
                result.GetValue(repeats),
                result.GetValue(experiment),
                result.GetValue(seed),
                result.GetValue(confidence),
                result.GetValue(noBuild),
                result.GetValue(configuration)!,
                result.GetValue(summary)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            ct));
        return command;
    }

    private static async Task<int> RunAsync(GateRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // A downloaded baseline lives in a folder of its own (--repeats evaluates its manifest), gone when the gate is done.
        var downloads = Directory.CreateTempSubdirectory("tune-gate-baseline-");
        try
        {
            var allowance = GateAllowance.Parse(request.MaxRegression)
                ?? throw new UsageException($"--max-regression is {Shown.Value(request.MaxRegression)}; use a non-negative amount such as 0.01 or a percentage such as 2%.");
            if (request.Repeats is { } k && (k < 2 || k > MaxRepeats))
            {
                throw new UsageException($"--repeats is {k}; it must be between 2 and {MaxRepeats} (a confidence bound needs at least two values per model).");
            }

            if (request.Confidence is not (> 0.5 and < 1))
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--confidence is {request.Confidence}; it must be between 0.5 and 1, such as 0.95."));
            }

            var (baselinePath, baselineSource) = await GateBaseline.FetchAsync(request.Baseline, downloads.FullName, cancellationToken).ConfigureAwait(false);
            var baselineManifest = await ReadAsync(baselinePath, "baseline", cancellationToken).ConfigureAwait(false);
            var candidateManifest = await ReadAsync(request.Candidate, "candidate", cancellationToken).ConfigureAwait(false);
            Refuse(baselineManifest, candidateManifest, request.DataChanged);

            var verdict = request.Repeats is { } repeats
                ? await CompareWithRepeatsAsync(request, repeats, baselineManifest, candidateManifest, allowance, error, cancellationToken).ConfigureAwait(false)
                : GateVerdict.Compare(candidateManifest.Goal, baselineManifest.Value, candidateManifest.Value, allowance);
            if (verdict is null)
            {
                return ExperimentHost.SweepFailed;
            }

            var markdown = GateSummary.Render(baselineManifest, candidateManifest, verdict, allowance, baselineSource);
            await output.WriteAsync(markdown).ConfigureAwait(false);
            if (request.Summary is { } file)
            {
                await File.WriteAllTextAsync(file, markdown + CandidateChart(candidateManifest, file), cancellationToken).ConfigureAwait(false);
            }

            if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary)
            {
                await File.AppendAllTextAsync(stepSummary, markdown, cancellationToken).ConfigureAwait(false);
            }

            return verdict.Outcome == GateOutcome.Regression ? Regression : ExperimentHost.Success;
        }
        catch (UsageException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }
        catch (BaselineUnreachableException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return BaselineUnreachable;
        }
        finally
        {
            downloads.Delete(recursive: true);
        }
    }

    private static async Task<PublishedManifest> ReadAsync(string path, string role, CancellationToken cancellationToken)
    {
        try
        {
            return await PublishedManifest.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or InvalidDataException or UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"The {role}: {exception.Message}");
        }
    }

    // Values of different objectives, goals or data say nothing about each other: compare them and the gate would lie.
    private static void Refuse(PublishedManifest baseline, PublishedManifest candidate, bool dataChanged)
    {
        if (!string.Equals(baseline.Experiment, candidate.Experiment, StringComparison.Ordinal))
        {
            throw new UsageException($"The baseline is a model of experiment '{baseline.Experiment}' and the candidate of '{candidate.Experiment}'; a gate compares two models of one experiment.");
        }

        if (!string.Equals(baseline.ObjectiveMetric, candidate.ObjectiveMetric, StringComparison.Ordinal) || baseline.Goal != candidate.Goal)
        {
            throw new UsageException($"The baseline's objective is {baseline.ObjectiveMetric} ({baseline.Goal}) and the candidate's is {candidate.ObjectiveMetric} ({candidate.Goal}); their values cannot be compared.");
        }

        if (!dataChanged && !string.Equals(baseline.DataFingerprint, candidate.DataFingerprint, StringComparison.Ordinal))
        {
            throw new UsageException($"The baseline was trained on data {baseline.DataFingerprint ?? "(not recorded)"} and the candidate on {candidate.DataFingerprint ?? "(not recorded)"}; pass --data-changed if the data changed on purpose.");
        }
    }

    private static async Task<GateVerdict?> CompareWithRepeatsAsync(
        GateRequest request, int repeats, PublishedManifest baseline, PublishedManifest candidate, GateAllowance allowance, TextWriter error, CancellationToken cancellationToken)
    {
        var project = ExperimentResolver.Resolve(request.Experiment ?? candidate.Experiment, Environment.CurrentDirectory);
        var (executable, exitCode) = await new ExperimentLauncher(error).PrepareAsync(project.ProjectPath, request.Configuration, build: !request.NoBuild, cancellationToken).ConfigureAwait(false);
        if (executable is null)
        {
            return exitCode == ExperimentHost.UsageError ? throw new UsageException("The experiment could not be run (see above).") : null;
        }

        // The same seeds for both models (common random numbers): a seed that favours one favours the other alike.
        var seeds = string.Join(',', Enumerable.Range(0, repeats).Select(i => SeededRandom.Derive(request.Seed, i).ToString(CultureInfo.InvariantCulture)));
        var baselineValues = await EvaluateAsync(executable, baseline, seeds, error, cancellationToken).ConfigureAwait(false);
        var candidateValues = await EvaluateAsync(executable, candidate, seeds, error, cancellationToken).ConfigureAwait(false);
        return baselineValues is null || candidateValues is null
            ? null
            : GateVerdict.Compare(candidate.Goal, baselineValues, candidateValues, allowance, request.Confidence);
    }

    // The candidate's published history.png (PngCharts), copied beside the summary file so that the markdown shows it;
    // the job page's $GITHUB_STEP_SUMMARY cannot show a local image, so it gets the text alone.
    private static string CandidateChart(PublishedManifest candidate, string summaryFile)
    {
        var chart = Path.Combine(candidate.Directory, PngCharts.HistoryFileName);
        if (!File.Exists(chart))
        {
            return string.Empty;
        }

        var name = Path.GetFileNameWithoutExtension(summaryFile) + ".history.png";
        File.Copy(chart, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(summaryFile))!, name), overwrite: true);
        return $"{Environment.NewLine}![The candidate's sweep: objective by trial, best so far]({name}){Environment.NewLine}";
    }

    private static async Task<double[]?> EvaluateAsync(string executable, PublishedManifest manifest, string seeds, TextWriter error, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tune-gate-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, _, errors) = await ExperimentLauncher.CaptureExperimentAsync(
                executable, ["evaluate", "--manifest", manifest.ManifestPath, "--seeds", seeds, "--output", file], cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                await error.WriteLineAsync($"Evaluating {manifest.ManifestPath} failed with exit code {exitCode}: {errors.Trim()}").ConfigureAwait(false);
                return exitCode == ExperimentHost.UsageError ? throw new UsageException("The experiment refused to evaluate the model (see above).") : null;
            }

            var values = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), EvaluationJsonContext.Default.EvaluationJson);
            return values?.Values;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record GateRequest(
        string Candidate, string Baseline, string MaxRegression, bool DataChanged, int? Repeats, string? Experiment, long Seed, double Confidence, bool NoBuild, string Configuration, string? Summary);
}
