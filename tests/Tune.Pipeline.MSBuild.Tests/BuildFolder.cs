using System.Diagnostics;
using System.Reflection;

namespace Tune.Pipeline.MSBuild.Tests;

/// <summary>
/// A temporary folder outside the repository holding real projects that import Tune.Pipeline.MSBuild's props and targets
/// from its build output (as the package's build/ folder would), built with the real <c>dotnet build</c>.
/// </summary>
internal sealed class BuildFolder : IDisposable
{
    public BuildFolder()
    {
        // Outside the repository: no Directory.Build.props of ours applies, and the experiment's sweep home is its own folder.
        Directory = System.IO.Directory.CreateTempSubdirectory("tune-msbuild-").FullName;
    }

    public string Directory { get; }

    // As spelt in the build (Debug, not the output folder's debug): another spelling is another set of global properties,
    // which would rebuild the referenced src projects under other tests that are running them.
    public static string Configuration => typeof(BuildFolder).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>Gets the repository root: artifacts/bin/Tune.Pipeline.MSBuild.Tests/&lt;configuration&gt;/ is four folders below it.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    /// <summary>Gets the task project's build output: Tune.Pipeline.MSBuild.dll and build/*.props, *.targets.</summary>
    public static string TasksOutput =>
        Path.Combine(RepositoryRoot, "artifacts", "bin", "Tune.Pipeline.MSBuild", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name);

    /// <summary>Writes a project that imports the props first and the targets last, as NuGet does for a package's build/ files.</summary>
    public string WriteProject(string folder, string name, string body)
    {
        var directory = Path.Combine(Directory, folder);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".csproj");
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Path.Combine(TasksOutput, "build", "Tune.Pipeline.MSBuild.props")}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TunePipelineTasksAssembly>{Path.Combine(TasksOutput, "Tune.Pipeline.MSBuild.dll")}</TunePipelineTasksAssembly>
              </PropertyGroup>
            {body}
              <Import Project="{Path.Combine(TasksOutput, "build", "Tune.Pipeline.MSBuild.targets")}" />
            </Project>
            """);
        return path;
    }

    /// <summary>Writes the test experiment (QuadraticExperiment: its model is model.txt) as a project of this folder.</summary>
    public string WriteExperiment(string folder, string properties = "") => WriteProject(folder, "Quadratic", $"""
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{Path.Combine(RepositoryRoot, "src", "Tune.Pipeline.Hosting", "Tune.Pipeline.Hosting.csproj")}" />
            <Compile Include="{Path.Combine(RepositoryRoot, "tests", "Tune.Pipeline.Hosting.TestExperiment")}/*.cs" />
          </ItemGroup>
        """);

    /// <summary>Writes an application whose Program.cs prints its copied model, with the given TunePipelineModel items and properties.</summary>
    public string WriteApplication(string folder, string models, string properties = "")
    {
        var path = WriteProject(folder, "App", $"""
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {models}
              </ItemGroup>
            """);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "Program.cs"),
            """Console.WriteLine(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "QuadraticExperiment", "model.txt")));""");
        return path;
    }

    /// <summary>Runs <c>dotnet build</c> on a project.</summary>
    public static Task<(int Code, string Output)> BuildAsync(string project, params string[] arguments) =>
        DotnetAsync(Path.GetDirectoryName(project)!, ["build", project, "-c", Configuration, "-nologo", .. arguments]);

    /// <summary>Runs the dotnet host with the arguments in a folder and returns its exit code and everything it wrote.</summary>
    public static async Task<(int Code, string Output)> DotnetAsync(string workingDirectory, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Build nodes that outlive the build would hold the redirected output open (and the task assembly loaded).
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment.Remove("TUNE_HOME");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A build node may still hold a file for a moment; the folder is in the temporary folder anyway.
        }
    }
}
