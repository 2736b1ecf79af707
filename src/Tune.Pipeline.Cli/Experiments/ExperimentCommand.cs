using System.CommandLine;
using Tune.Pipeline.Hosting;

namespace Tune.Pipeline.Cli.Experiments;

/// <summary>
/// <c>tune sweep|retrain|agent|status &lt;experiment&gt; [arguments]</c>: builds the experiment's project, then runs its
/// executable with the verb and the remaining arguments, on this console.
/// </summary>
/// <remarks>
/// Its own options are <c>--no-build</c> and <c>--configuration</c>, accepted anywhere on the line; every other
/// argument after <c>&lt;experiment&gt;</c> goes to the experiment unchanged, <c>--help</c> included.
/// </remarks>
internal sealed class ExperimentCommand : Command
{
    /// <summary>The experiment executable's verbs that tune forwards, with what each does.</summary>
    public static readonly IReadOnlyList<(string Verb, string Description)> Verbs =
    [
        ("sweep", "Build an experiment and sweep it: `tune sweep experiments/BreastCancer --max-trials 50` (the experiment's `sweep --help` lists its options)."),
        ("retrain", "Build an experiment, then retrain a sweep's best configuration on all data and publish it: `tune retrain breast-cancer --sweep NAME`."),
        ("agent", "Build an experiment and join a sweep as an agent: `tune agent experiments/BreastCancer --store postgresql://... --sweep NAME`."),
        ("status", "Build an experiment and show a sweep's status through it (`tune show SWEEP` reads any sweep without building)."),
    ];

    private const string NoBuildName = "--no-build";
    private const string ConfigurationName = "--configuration";
    private const string ConfigurationAlias = "-c";

    private readonly Argument<string> _experiment = new("experiment")
    {
        Description = "The experiment: its project folder or .csproj, or its name (folder name or [Experiment] name) under the repository's experiments/.",
    };

    private readonly Argument<string[]> _arguments = new("arguments")
    {
        Description = "Passed to the experiment's verb unchanged.",
        Arity = ArgumentArity.ZeroOrMore,
        CaptureRemainingTokens = true,
    };

    private readonly Option<bool> _noBuild = new(NoBuildName) { Description = "Run the experiment as last built, without building it." };

    private readonly Option<string> _configuration = new(ConfigurationName, ConfigurationAlias)
    {
        Description = "The build configuration.",
        DefaultValueFactory = _ => "Release",
    };

    private ExperimentCommand(string verb, string description)
        : base(verb, description)
    {
        Arguments.Add(_experiment);
        Arguments.Add(_arguments);
        Options.Add(_noBuild);
        Options.Add(_configuration);
        SetAction(RunAsync);
    }

    /// <summary>Creates one command per forwarded verb.</summary>
    /// <returns>The commands.</returns>
    public static IEnumerable<Command> CreateAll() => Verbs.Select(v => new ExperimentCommand(v.Verb, v.Description));

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var (forwarded, noBuild, configuration) = Split(parseResult.GetValue(_arguments) ?? [], parseResult.GetValue(_noBuild), parseResult.GetValue(_configuration)!);
        if (configuration is null)
        {
            await error.WriteLineAsync($"{ConfigurationName} needs a value, such as Release or Debug.").ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }

        ExperimentProject project;
        try
        {
            project = ExperimentResolver.Resolve(parseResult.GetValue(_experiment)!, Environment.CurrentDirectory);
        }
        catch (UsageException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }

        var launcher = new ExperimentLauncher(error);
        var (executable, exitCode) = await launcher.PrepareAsync(project.ProjectPath, configuration, build: !noBuild, cancellationToken).ConfigureAwait(false);
        return executable is null ? exitCode : await ExperimentLauncher.RunAsync(executable, [Name, .. forwarded]).ConfigureAwait(false);
    }

    // The captured arguments may still hold tune's own options, typed after the experiment; take them out.
    internal static (List<string> Forwarded, bool NoBuild, string? Configuration) Split(string[] captured, bool noBuild, string configuration)
    {
        var forwarded = new List<string>(captured.Length);
        string? chosen = configuration;
        for (var i = 0; i < captured.Length; i++)
        {
            var token = captured[i];
            if (token == NoBuildName)
            {
                noBuild = true;
            }
            else if (token is ConfigurationName or ConfigurationAlias)
            {
                chosen = i + 1 < captured.Length ? captured[++i] : null;
            }
            else if (token.StartsWith(ConfigurationName + "=", StringComparison.Ordinal))
            {
                chosen = token[(ConfigurationName.Length + 1)..];
            }
            else
            {
                forwarded.Add(token);
            }
        }

        return (forwarded, noBuild, chosen);
    }
}
