using System.CommandLine;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>The options several verbs share, declared once so that each reads and describes them alike.</summary>
internal static class VerbOptions
{
    public static Option<string?> Store() => new("--store")
    {
        Description = "The sweep store: a SQLite file path (or sqlite:PATH), or postgresql://user@host:port/database for agents on several machines (default: .tune/tune.db in the sweep home, see docs/stores-and-agents.md).",
    };

    public static Option<string?> Sweep() => new("--sweep") { Description = "The sweep's name; defaults to the experiment's name." };

    public static Option<string?> LeaseTimeout() => new("--lease-timeout")
    {
        Description = "How long an agent may go without a heartbeat before its trial is reclaimed (30s, 500ms, 2m; default 30s).",
    };

    public static Option<int?> ThreadsPerTrial() => new("--threads-per-trial") { Description = "Threads each trial may use; defaults to the processor count divided by the agents." };

    public static Option<string?> Artifacts() => new("--artifacts") { Description = "Where the best configuration's retrained model is published, under <experiment>/ (default: artifacts in the sweep home)." };

    public static Option<string?> AzureContainer() => new("--azure-container")
    {
        Description = "Also upload the published folder to this Azure Blob Storage container; the connection string or SAS URL is read from AZURE_STORAGE_CONNECTION_STRING.",
    };

    public static Option<string?> AzurePrefix() => new("--azure-prefix") { Description = "The blob prefix the published files go under (default: the experiment's name)." };
}
