using System.CommandLine;
using Tune.Pipeline.Hosting;

namespace Tune.Pipeline.Cli.Experiments;

/// <summary>
/// <c>tune new NAME</c>, inside the Tune.Pipeline repository: creates <c>experiments/NAME</c> from the
/// <c>tune-experiment</c> template in its repository form (the repository's projects through build/Experiment.targets)
/// and adds it to the solution, so that <c>dotnet cake --target=Sweep --experiment=NAME</c> and the Build target see it.
/// </summary>
/// <remarks>
/// The template is the one in <c>src/Tune.Pipeline.Templates</c>, instantiated by <c>dotnet new</c> itself rather than
/// copied by this verb, so the package and this verb cannot drift apart. It is installed into a private template hive
/// (<c>--debug:custom-hive</c>) that is deleted afterwards: the verb changes no one's installed templates. Outside the
/// repository the template package does the same job (<c>dotnet new tune-experiment</c>), with package references.
/// </remarks>
internal static partial class NewCommand
{
    /// <summary>Where the template lives in the repository.</summary>
    internal const string TemplateFolder = "src/Tune.Pipeline.Templates/content/tune-experiment";

    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The experiment's name: a C# identifier such as Wine; the project is experiments/<name>/<name>.csproj." };
        var command = new Command("new", "Inside the Tune.Pipeline repository: create experiments/<name> from the tune-experiment template and add it to Tune.Pipeline.sln.") { name };
        command.SetAction((parseResult, cancellationToken) =>
            CreateAsync(parseResult.GetValue(name)!, Directory.GetCurrentDirectory(), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Creates the experiment.</summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="currentDirectory">The folder the repository is found from.</param>
    /// <param name="output">Where the result is written.</param>
    /// <param name="error">Where a failed dotnet command is reported.</param>
    /// <param name="cancellationToken">Stops the dotnet commands.</param>
    /// <returns>0 when created; 2 for a bad name, outside the repository or an existing folder; 3 when dotnet fails.</returns>
    internal static async Task<int> CreateAsync(string name, string currentDirectory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Identifier().IsMatch(name))
        {
            throw new UsageException($"'{name}' is not a valid experiment name: use letters, digits and '_', starting with a letter (for example Wine), as it becomes the project and class name.");
        }

        var root = ExperimentResolver.FindRepositoryRoot(currentDirectory);
        var template = root is null ? null : Path.Combine(root, TemplateFolder);
        var solution = root is null ? null : Path.Combine(root, "Tune.Pipeline.sln");
        if (template is null || !Directory.Exists(template) || !File.Exists(solution))
        {
            throw new UsageException(
                $"`tune new` adds an experiment to the Tune.Pipeline repository, and no folder from '{currentDirectory}' up is one. " +
                $"Anywhere else, use the template: `dotnet new install Tune.Pipeline.Templates`, then `dotnet new tune-experiment -n {name}`.");
        }

        var folder = Path.Combine(root!, ExperimentResolver.ExperimentsFolder, name);
        if (Directory.Exists(folder))
        {
            throw new UsageException($"'{folder}' already exists. Choose another name, or delete that folder first.");
        }

        var hive = Path.Combine(Path.GetTempPath(), $"tune-new-{Guid.NewGuid():N}");
        try
        {
            string[][] steps =
            [
                ["new", "install", template, "--debug:custom-hive", hive],
                ["new", "tune-experiment", "-n", name, "-o", folder, "--InRepository", "true", "--debug:custom-hive", hive],
                ["sln", solution!, "add", "--solution-folder", ExperimentResolver.ExperimentsFolder, Path.Combine(folder, $"{name}.csproj")],
            ];
            foreach (var step in steps)
            {
                var (exitCode, stepOutput, stepError) = await ExperimentLauncher.CaptureAsync(step, cancellationToken).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    await error.WriteLineAsync(
                        $"`dotnet {string.Join(' ', step)}` failed with exit code {exitCode}: {string.Join(Environment.NewLine, new[] { stepOutput.Trim(), stepError.Trim() }.Where(s => s.Length > 0))}").ConfigureAwait(false);

                    // The folder did not exist before this command: a half-made experiment is removed, not left to trip the next try.
                    if (Directory.Exists(folder))
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    return ExperimentHost.EnvironmentError;
                }
            }
        }
        finally
        {
            if (Directory.Exists(hive))
            {
                Directory.Delete(hive, recursive: true);
            }
        }

        var relative = Path.GetRelativePath(root!, folder).Replace('\\', '/');
        await output.WriteLineAsync($"Created {relative} ({name}.csproj, {name}Experiment.cs, Program.cs, sweep.yaml, data/) and added it to Tune.Pipeline.sln.").ConfigureAwait(false);
        await output.WriteLineAsync($"Sweep it: dotnet tune sweep {relative} --config {relative}/sweep.yaml, or dotnet cake --target=Sweep --experiment={name}").ConfigureAwait(false);
        return ExperimentHost.Success;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex Identifier();
}
