using k8s;
using k8s.Models;

namespace Tune.Pipeline.Cli.Tests.Kubernetes;

/// <summary><c>tune k8s manifest</c>: the kubernetes launcher's Job as YAML, from a sweep file and options.</summary>
public sealed class ManifestCommandTests
{
    [Fact]
    public async Task Manifest_PrintsTheIndexedJobOfTheSweepFileWithTheSecretReference()
    {
        using var file = new TempFile("""
            agents:
              kubernetes:
                image: registry.example/faq:2
                namespace: tune
                cpu: "2"
                memory: 4Gi
                gpus-per-agent: 1
                backoff-limit: 2
                secret: team-store
            """);

        var (code, output, error) = await Tune.RunAsync("k8s", "manifest", "--config", file.Path, "--sweep", "faq-1", "--agents", "3");

        Assert.True(code == 0, error);
        var job = KubernetesYaml.Deserialize<V1Job>(output);
        Assert.Equal("tune-faq-1", job.Metadata.Name);
        Assert.Equal("tune", job.Metadata.NamespaceProperty);
        Assert.Equal(("Indexed", 3, 3, 2), (job.Spec.CompletionMode, job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimit));
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("registry.example/faq:2", container.Image);
        Assert.Equal(["agent", "--sweep", "faq-1", "--threads-per-trial", "2", "--lease-timeout", "30000ms"], container.Args);
        Assert.Equal(("team-store", "store"), (container.Env.Single().ValueFrom.SecretKeyRef.Name, container.Env.Single().ValueFrom.SecretKeyRef.Key));
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.EndsWith("restartPolicy: Never" + Environment.NewLine, output, StringComparison.Ordinal);
        Assert.Contains("#   kubectl create secret generic team-store -n tune --from-literal=store=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_WithoutImage_Exits2SayingWhereToGiveIt()
    {
        var (code, output, error) = await Tune.RunAsync("k8s", "manifest", "--sweep", "faq-1", "--agents", "3");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("The Job needs the container image of the published experiment: pass --image, or set agents.kubernetes.image in the sweep file given with --config.", error.Trim());
    }
}
