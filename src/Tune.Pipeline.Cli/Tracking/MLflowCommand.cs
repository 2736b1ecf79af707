using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Tracking.MLflow;

namespace Tune.Pipeline.Cli.Tracking;

/// <summary>
/// <c>tune mlflow sync --store PATH|URL [--tracking-uri URL]</c>: delivers a sweep store's pending tracking events to
/// MLflow, for sweeps that ran while the server was down or without tracking.
/// </summary>
internal static class MLflowCommand
{
    private const int UsageError = 2;
    private const int EnvironmentError = 3;

    /// <summary>Builds the <c>mlflow</c> verb and its <c>sync</c> subcommand.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var store = new Option<string>("--store")
        {
            Description = "The sweep store: a SQLite file path, or postgresql://user@host:port/database.",
            DefaultValueFactory = _ => Sweeps.StoreAccess.Home.DefaultStore,
        };
        var trackingUri = new Option<string?>("--tracking-uri")
        {
            Description = "The MLflow tracking server, such as http://localhost:5000; defaults to MLFLOW_TRACKING_URI. Credentials come from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.",
        };
        var sync = new Command("sync", "Deliver every tracking event waiting in a sweep store to MLflow: sweeps as parent runs, trials as child runs.")
        {
            store,
            trackingUri,
        };
        sync.SetAction((parseResult, cancellationToken) => SyncAsync(
            parseResult.GetValue(store)!, parseResult.GetValue(trackingUri), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return new Command("mlflow", "MLflow tracking: deliver what a sweep store holds.") { sync };
    }

    private static async Task<int> SyncAsync(string storeText, string? trackingUri, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MLflowClientOptions? options;
        try
        {
            options = MLflowClientOptions.FromEnvironment(Environment.GetEnvironmentVariable, trackingUri);
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync(ArgumentMessage.Sentence(exception)).ConfigureAwait(false);
            return UsageError;
        }

        if (options is null)
        {
            await error.WriteLineAsync($"No MLflow tracking server is given. Set {MLflowClientOptions.TrackingUriVariable} or pass --tracking-uri, such as http://localhost:5000.").ConfigureAwait(false);
            return UsageError;
        }

        // SQLite would create an empty store at a mistyped path and report nothing to send.
        if (!Sweeps.StoreAccess.Exists(storeText))
        {
            await error.WriteLineAsync($"There is no sweep store at '{Path.GetFullPath(storeText)}'. Pass the --store the sweep used (its default is .tune/tune.db in the sweep home: the repository or solution root above the experiment).").ConfigureAwait(false);
            return UsageError;
        }

        // Two quick retries: an unreachable server is reported in seconds, and nothing is lost by stopping.
        options.MaxRetries = Math.Min(options.MaxRetries, 2);
        options.Warning = message => error.WriteLine($"MLflow tracking: {message}");
        SqlSweepStore store;
        MLflowClient client;
        try
        {
            store = SweepStores.Open(storeText);
            client = new MLflowClient(options);
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync(ArgumentMessage.Sentence(exception)).ConfigureAwait(false);
            return UsageError;
        }

        await using (store.ConfigureAwait(false))
        using (client)
        {
            var forwarder = new MLflowForwarder(store, client, new MLflowForwarderOptions { Warning = options.Warning });
            await using var release = forwarder.ConfigureAwait(false);
            try
            {
                var delivered = await forwarder.DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(delivered.Total == 0
                    ? $"Nothing waits in the sweep store {store.DisplayName}; {client} is up to date."
                    : $"Delivered to {client} from the sweep store {store.DisplayName}: {delivered}.").ConfigureAwait(false);
                return 0;
            }
            catch (MLflowException exception)
            {
                var (pending, _) = await store.GetOutboxBacklogAsync(cancellationToken).ConfigureAwait(false);
                var sent = forwarder.Delivered.Total > 0 ? $" Delivered before it stopped: {forwarder.Delivered}." : string.Empty;
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{exception.Message}{sent} {pending} events still wait in the sweep store {store.DisplayName}; nothing is lost. Run `tune mlflow sync` again when the server is up.")).ConfigureAwait(false);
                return EnvironmentError;
            }
            catch (MLflowForwarderBusyException exception)
            {
                await error.WriteLineAsync(exception.Message + " Run `tune mlflow sync` after it ends, if anything still waits.").ConfigureAwait(false);
                return EnvironmentError;
            }
            catch (StoreUnavailableException exception)
            {
                await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
                return EnvironmentError;
            }
        }
    }
}
