using System.CommandLine;
using System.Net;
using Tune.Pipeline.Cli.Sweeps;
using Tune.Pipeline.Hosting;

namespace Tune.Pipeline.Cli.Dashboard;

/// <summary>
/// <c>tune dashboard [--store] [--port] [--address] [--token]</c>: serves <see cref="DashboardServer"/> until Ctrl+C.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>The port the dashboard listens on unless told otherwise.</summary>
    public const int DefaultPort = 5180;

    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var store = StoreAccess.CreateOption();
        var port = new Option<int>("--port") { Description = $"The port to listen on (default {DefaultPort}; 0 for any free one).", DefaultValueFactory = _ => DefaultPort };
        var address = new Option<string>("--address") { Description = "The address to listen on (default 127.0.0.1, this machine only); any other needs --token.", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "A secret every request must carry as ?token=; required when --address is not a loopback address." };
        var command = new Command("dashboard", "Serve a read-only web page over a store: its sweeps, and for each the report's charts and table, updating as trials run.")
        {
            store, port, address, token,
        };
        command.SetAction((parseResult, cancellationToken) =>
            StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var text = parseResult.GetValue(address)!;
                if (!IPAddress.TryParse(text, out var ip))
                {
                    throw new UsageException($"--address '{text}' is not an IP address. Pass 127.0.0.1 (this machine), 0.0.0.0 (every interface, with --token) or one of this machine's addresses.");
                }

                if (parseResult.GetValue(port) is < 0 or > 65535)
                {
                    throw new UsageException($"--port {parseResult.GetValue(port)} is not a port. Pass 1 to 65535, or 0 for any free one.");
                }

                var server = await DashboardServer.StartAsync(parseResult.GetValue(store)!, ip, parseResult.GetValue(port), parseResult.GetValue(token), cancellationToken).ConfigureAwait(false);
                await using (server.ConfigureAwait(false))
                {
                    await parseResult.InvocationConfiguration.Output.WriteLineAsync($"Dashboard at {server.Address} (read-only; Ctrl+C stops it).").ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C is how a dashboard ends: not a failure.
                    }
                }

                return ExperimentHost.Success;
            }));
        return command;
    }
}
