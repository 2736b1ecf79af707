using System.CommandLine;

namespace Tune.Pipeline.Hosting;

/// <summary>The <c>sweep</c> verb's MLflow options: <c>--tracking-uri</c> and <c>--register-model</c>.</summary>
internal sealed class SweepTrackingOptions
{
    public Option<string?> TrackingUri { get; } = new("--tracking-uri")
    {
        Description = "The MLflow tracking server, such as http://localhost:5000; defaults to MLFLOW_TRACKING_URI. Credentials come from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.",
    };

    public Option<string?> RegisterModel { get; } = new("--register-model")
    {
        Description = "Register the published model as a new version of this MLflow registered model (needs tracking).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(TrackingUri);
        command.Options.Add(RegisterModel);
    }

    public SweepTrackingRequest Read(ParseResult result) => new(result.GetValue(TrackingUri), result.GetValue(RegisterModel));
}

/// <summary>What the command line asked of MLflow tracking.</summary>
/// <param name="TrackingUri">The tracking server given with <c>--tracking-uri</c>, if any.</param>
/// <param name="RegisteredModel">The registered model named with <c>--register-model</c>, if any.</param>
internal sealed record SweepTrackingRequest(string? TrackingUri, string? RegisteredModel);
