using Tune.Pipeline.Hosting.Launchers;
using Tune.Pipeline.Hosting.SweepFiles;

namespace Tune.Pipeline.Hosting.Tests.SweepFiles;

/// <summary>The sweep file's <c>agents.launcher</c>, <c>agents.slurm</c> and <c>agents.kubernetes</c>, and what <c>sweep</c> refuses of them.</summary>
public sealed class LauncherSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-launcher-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Parse_LauncherSections_ReadsEverySetting()
    {
        var file = SweepFileParser.Parse("""
            agents:
              launcher: slurm
              slurm: {partition: gpu, time: "2:00:00", cpus-per-task: 8, gpus-per-agent: 1, sbatch: [--mem=32G, --account=ml], command: /shared/Faq}
              kubernetes: {namespace: tune, image: "registry.example/faq:3", command: [/app/Faq], cpu: 500m, memory: 4Gi, gpus-per-agent: 2, backoff-limit: 4, secret: tune-store, service-account: agents}
            """, "sweep.yaml");

        Assert.Equal("slurm", file.Agents.Launcher);
        var slurm = file.Agents.LauncherSettings.Slurm;
        Assert.Equal(("gpu", "2:00:00", 8, 1, "/shared/Faq"), (slurm.Partition, slurm.Time, slurm.CpusPerTask, slurm.GpusPerAgent, slurm.Command));
        Assert.Equal(["--mem=32G", "--account=ml"], slurm.Sbatch);
        var k8s = file.Agents.LauncherSettings.Kubernetes;
        Assert.Equal(("tune", "registry.example/faq:3", "500m", "4Gi", 2, 4, "tune-store", "agents"), (k8s.Namespace, k8s.Image, k8s.Cpu, k8s.Memory, k8s.GpusPerAgent, k8s.BackoffLimit, k8s.Secret, k8s.ServiceAccount));
        Assert.Equal(["/app/Faq"], k8s.Command);
    }

    [Fact]
    public void Parse_LauncherMistakes_NamesEachWithItsLocation()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse("""
            agents:
              launcher: slrum
              slurm: {cpus-per-task: 0, sbatch: [exclusive], partitions: gpu}
              kubernetes: {namespace: Tune_NS, memory: 4 GB, backoff-limit: -1}
            """, "sweep.yaml"));

        Assert.Equal(
            [
                "sweep.yaml:2:13: 'agents.launcher' is 'slrum' (did you mean 'slurm'?); use one of local, slurm, kubernetes.",
                "sweep.yaml:3:50: unknown key 'agents.slurm.partitions' (did you mean 'partition'?); the keys allowed in 'agents.slurm' are partition, time, cpus-per-task, gpus-per-agent, sbatch, command.",
                "sweep.yaml:3:37: 'agents.slurm.sbatch' holds 'exclusive'; each entry is one sbatch option for an #SBATCH line, such as --mem=8G or --account=ml.",
                "sweep.yaml:3:26: 'agents.slurm.cpus-per-task' is '0'; use a whole number from 1 to 4096.",
                "sweep.yaml:4:27: 'agents.kubernetes.namespace' is 'Tune_NS'; use a Kubernetes name: lower-case letters, digits and '-', starting and ending with a letter or digit.",
                "sweep.yaml:4:44: 'agents.kubernetes.memory' is '4 GB'; use a Kubernetes quantity such as 4Gi or 512Mi.",
                "sweep.yaml:4:65: 'agents.kubernetes.backoff-limit' is '-1'; use a whole number from 0 to 1000.",
            ],
            error.Problems);
    }

    [Fact]
    public async Task Sweep_KubernetesWithoutImageOrPackage_Exits2SayingWhatIsMissing()
    {
        var store = "postgresql://tune@127.0.0.1:1/tune";
        var (noImage, _, noImageError) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--launcher", "kubernetes", "--store", store, "--max-trials", "2", "--no-publish");
        var config = Path.Combine(_directory, "sweep.yaml");
        await File.WriteAllTextAsync(config, "agents: {kubernetes: {image: faq:1}}", TestContext.Current.CancellationToken);
        var (noPackage, _, noPackageError) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--launcher", "kubernetes", "--config", config, "--store", store, "--max-trials", "2", "--no-publish");

        Assert.Equal((ExperimentHost.UsageError, ExperimentHost.UsageError), (noImage, noPackage));
        Assert.Equal("--launcher is kubernetes, which runs the agents in a container image: set 'agents.kubernetes.image' in the sweep file (--config) to the image of the published experiment, such as registry.example.com/faq-matching:1.", noImageError.Trim());
        Assert.Equal($"--launcher kubernetes needs the {AgentLaunchers.KubernetesPackage} package: add <PackageReference Include=\"{AgentLaunchers.KubernetesPackage}\" /> (or a project reference) to the experiment's project and build it again.", noPackageError.Trim());
    }
}
