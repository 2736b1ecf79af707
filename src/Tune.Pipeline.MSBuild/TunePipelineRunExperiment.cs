using System.ComponentModel;
using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Tune.Pipeline.MSBuild;

/// <summary>
/// Runs a verb of an experiment's executable (<c>sweep</c> for <c>TunePipelineSweep</c>, <c>retrain</c> for
/// <c>TunePipelinePublish</c>) with the options the <c>TunePipeline*</c> properties give, logging its output as it comes.
/// A failure is one TUNE1005 error that names the verb, the exit code and the executable's own last words.
/// </summary>
public sealed class TunePipelineRunExperiment : Task, ICancelableTask
{
    private static readonly KeyValuePair<string, string>[] PropertyOfOption =
    [
        new("--store", "TunePipelineStore"),
        new("--sweep", "TunePipelineSweepName"),
        new("--max-trials", "TunePipelineMaxTrials"),
        new("--seed", "TunePipelineSeed"),
        new("--config", "TunePipelineSweepFile"),
        new("--agents", "TunePipelineAgents"),
        new("--sampler", "TunePipelineSampler"),
        new("--artifacts", "TunePipelineArtifacts"),
        new("--resume", "TunePipelineResume=true"),
    ];

    private readonly ExperimentProcess _process = new();

    /// <summary>Gets or sets the experiment's built assembly (<c>$(TargetPath)</c>).</summary>
    [Required]
    public string Executable { get; set; } = string.Empty;

    /// <summary>Gets or sets the experiment's project file, which errors point at.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Gets or sets the verb: <c>sweep</c> or <c>retrain</c>.</summary>
    [Required]
    public string Verb { get; set; } = string.Empty;

    /// <summary>Gets or sets <c>--store</c> (<c>TunePipelineStore</c>).</summary>
    public string? Store { get; set; }

    /// <summary>Gets or sets <c>--sweep</c> (<c>TunePipelineSweepName</c>).</summary>
    public string? SweepName { get; set; }

    /// <summary>Gets or sets <c>--max-trials</c> (<c>TunePipelineMaxTrials</c>; sweep only).</summary>
    public string? MaxTrials { get; set; }

    /// <summary>Gets or sets <c>--seed</c> (<c>TunePipelineSeed</c>; sweep only).</summary>
    public string? Seed { get; set; }

    /// <summary>Gets or sets <c>--config</c> (<c>TunePipelineSweepFile</c>; sweep only).</summary>
    public string? SweepFile { get; set; }

    /// <summary>Gets or sets <c>--agents</c> (<c>TunePipelineAgents</c>; sweep only).</summary>
    public string? Agents { get; set; }

    /// <summary>Gets or sets <c>--sampler</c> (<c>TunePipelineSampler</c>; sweep only).</summary>
    public string? Sampler { get; set; }

    /// <summary>Gets or sets <c>--artifacts</c> (<c>TunePipelineArtifacts</c>).</summary>
    public string? Artifacts { get; set; }

    /// <summary>Gets or sets further arguments, one per item (<c>TunePipelineSweepArguments</c>, <c>TunePipelinePublishArguments</c>).</summary>
    public string[] ExtraArguments { get; set; } = [];

    /// <summary>Gets or sets the folder the executable runs in: the experiment's project folder.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = string.Empty;

    /// <inheritdoc/>
    public void Cancel() => _process.Cancel();

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (!File.Exists(Executable))
        {
            TuneDiagnostics.Error(Log, TuneDiagnostics.NotAnExecutable, ProjectFile,
                $"The build produced no executable at '{Executable}' to run the '{Verb}' verb with. Make '{Path.GetFileName(ProjectFile)}' an experiment executable (OutputType Exe, a Program.cs that calls ExperimentHost.RunAsync).");
            return false;
        }

        var arguments = Arguments();
        var shown = ExperimentProcess.Show(Path.GetFileName(Executable), arguments);
        Log.LogMessage(MessageImportance.High, $"Running {shown} in {WorkingDirectory}");
        ExperimentRun run;
        try
        {
            run = _process.Run(Executable, arguments, WorkingDirectory,
                line => Log.LogMessage(MessageImportance.High, line),
                line => Log.LogMessage(MessageImportance.High, line));
        }
        catch (Win32Exception exception)
        {
            TuneDiagnostics.Error(Log, TuneDiagnostics.VerbFailed, ProjectFile,
                $"Could not start '{ExperimentProcess.DotnetHost}' to run {shown}: {exception.Message}. Check that the .NET SDK's dotnet is on PATH or DOTNET_HOST_PATH names it.");
            return false;
        }

        if (_process.Cancelled)
        {
            Log.LogWarning($"The '{Verb}' verb was stopped with the build. A stopped sweep continues with -p:TunePipelineResume=true.");
            return false;
        }

        if (run.ExitCode == 0)
        {
            return true;
        }

        var said = run.ErrorLines.Count > 0 ? string.Join(" ", run.ErrorLines) : "it wrote nothing to standard error; its output is above";
        TuneDiagnostics.Error(Log, TuneDiagnostics.VerbFailed, ProjectFile, string.Create(CultureInfo.InvariantCulture,
            $"The experiment's '{Verb}' verb exited with code {run.ExitCode} ({Meaning(run.ExitCode)}): {said} (ran {shown} in {WorkingDirectory}). {Fix(run.ExitCode)}{Properties(said)}"));
        return false;
    }

    // The executable speaks in options; the user set properties. Name the property behind each option its message mentions.
    private static string Properties(string said)
    {
        var named = PropertyOfOption.Where(p => said.Contains(p.Key, StringComparison.Ordinal)).Select(p => $"{p.Key} is {p.Value}").ToList();
        return named.Count > 0 ? $" ({string.Join(", ", named)}.)" : string.Empty;
    }

    private static string Meaning(int exitCode) => exitCode switch
    {
        1 => "the sweep failed",
        2 => "usage error",
        3 => "environment: a store, file or service could not be used",
        130 => "stopped",
        _ => "unexpected",
    };

    private static string Fix(int exitCode) => exitCode switch
    {
        2 => "Fix the TunePipeline* property (or sweep file) that the message names.",
        3 => "Check the store path or server, and the permissions of the folders it writes.",
        130 => "Continue the sweep with -p:TunePipelineResume=true.",
        _ => "See the executable's output above.",
    };

    private List<string> Arguments()
    {
        var arguments = new List<string> { Verb };
        Add(arguments, "--store", Store);
        Add(arguments, "--sweep", SweepName);
        Add(arguments, "--max-trials", MaxTrials);
        Add(arguments, "--seed", Seed);
        Add(arguments, "--config", SweepFile);
        Add(arguments, "--agents", Agents);
        Add(arguments, "--sampler", Sampler);
        Add(arguments, "--artifacts", Artifacts);
        arguments.AddRange(ExtraArguments.Where(a => a.Length > 0));
        return arguments;
    }

    private static void Add(List<string> arguments, string option, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            arguments.Add(option);
            arguments.Add(value.Trim());
        }
    }
}
