using System.CommandLine;
using System.Globalization;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary><c>agent</c>: joins a sweep, prepares the data once, then leases and runs trials until the sweep is closed.</summary>
internal sealed class AgentVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _store = VerbOptions.Store();
    private readonly Option<string?> _sweep = VerbOptions.Sweep();
    private readonly Option<int?> _threadsPerTrial = VerbOptions.ThreadsPerTrial();
    private readonly Option<string?> _leaseTimeout = VerbOptions.LeaseTimeout();
    private readonly Option<string?> _device = new("--device") { Description = "The GPU this agent runs its trials on, cuda:N (a sweep's GPU agents are given theirs); none for a CPU agent. The experiment opens it through Tune.Pipeline.Gpu." };
    private readonly Option<bool> _exitWithParent = new("--exit-with-parent") { Hidden = true, Description = "Exit when standard input closes (set for child agents)." };
    private readonly Option<string> _wait = new("--wait") { Description = "How long to wait for the sweep to appear in the store.", DefaultValueFactory = _ => "60s" };

    public Command Create()
    {
        var command = new Command("agent", "Join a sweep: prepare the data once, then lease and run trials until the sweep is closed.")
        {
            _store, _sweep, _threadsPerTrial, _leaseTimeout, _wait, _device, _exitWithParent,
        };
        command.SetAction((result, ct) => RunAsync(
            // A remote launcher gives the store in the environment: a connection string never shows in a process listing or a Job's spec.
            host.StoreOrDefault(result.GetValue(_store) ?? NonEmpty(Environment.GetEnvironmentVariable(Launchers.AgentLaunch.StoreVariable))),
            SweepNames.Check(result.GetValue(_sweep) ?? host.Identity.Name),
            result.GetValue(_threadsPerTrial),
            result.GetValue(_leaseTimeout) is { } lease ? Durations.Parse(lease, "--lease-timeout") : new SweepArguments().LeaseTimeout,
            Durations.Parse(result.GetValue(_wait)!, "--wait"),
            result.GetValue(_exitWithParent),
            result.GetValue(_device),
            ct));
        return command;
    }

    private async Task<int> RunAsync(string storeText, string sweepName, int? threadsPerTrial, TimeSpan leaseTimeout, TimeSpan wait, bool exitWithParent, string? device, CancellationToken cancellationToken)
    {
        if (threadsPerTrial is < 1)
        {
            throw new UsageException($"--threads-per-trial is {threadsPerTrial}; it must be at least 1.");
        }

        if (device is not null && !Devices.TryParseCuda(device, out _))
        {
            throw new UsageException($"--device is {Shown.Value(device)}; use cuda:N (N from 0, as `sweep --gpus` numbers them), or leave it out for a CPU agent.");
        }

        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (exitWithParent)
        {
            // The parent holds the other end of our standard input; end of input means the parent is gone.
            _ = Task.Run(
                async () =>
                {
#pragma warning disable RS0030 // A child agent watches its own standard input.
                    using var input = Console.OpenStandardInput();
#pragma warning restore RS0030
                    var buffer = new byte[64];
                    while (await input.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false) > 0)
                    {
                    }

                    await shutdown.CancelAsync().ConfigureAwait(false);
                },
                CancellationToken.None);
        }

        var store = host.OpenStore(storeText, StoreTrialAgent.MaxConnections);
        await using (store.ConfigureAwait(false))
        {
            var threads = threadsPerTrial ?? Environment.ProcessorCount;
            var experiment = new TExperiment();
            var loop = new TrialAgentLoop<TParameters>(store, sweepName, experiment, host.Space, threads, leaseTimeout, Path.Combine(host.Home.Artifacts, sweepName), device);
            try
            {
                if (!await loop.RunAsync(wait, shutdown.Token).ConfigureAwait(false))
                {
                    throw new UsageException($"Sweep '{sweepName}' did not appear in {store.DisplayName} within {wait.TotalSeconds:0} s. Start it with `sweep --sweep {sweepName}`, or check --store.");
                }
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The parent died: leave quietly; the lease of any trial in hand expires and is reclaimed.
                return ExperimentHost.Success;
            }
            finally
            {
                await HostedExperiment<TExperiment, TParameters>.ReleaseAsync(experiment).ConfigureAwait(false);
            }

            await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Agent {loop.Owner} ran {loop.TrialsRun} trials; sweep '{sweepName}' is closed.")).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
