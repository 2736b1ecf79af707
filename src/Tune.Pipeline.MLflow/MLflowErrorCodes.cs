namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Error codes that an MLflow tracking server answers with, and the ones this client adds.
/// </summary>
public static class MLflowErrorCodes
{
    /// <summary>The experiment, run, model or artifact does not exist (HTTP 404).</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>An experiment or registered model with this name already exists (HTTP 400).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>A value in the request is invalid, for example a changed param (HTTP 400).</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>The request is malformed, for example without <c>Content-Type: application/json</c> (HTTP 400).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The server failed (HTTP 500); also answered for a missing artifact.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>
    /// The route or method does not exist: the server answered an HTML 404 or 405 page rather than MLflow JSON, so
    /// the tracking URI points at something else, or an older server, or one without <c>--serve-artifacts</c>.
    /// </summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>The server could not be reached, or kept answering 429 or 5xx, after every retry (client-side code).</summary>
    public const string Unavailable = "TUNE_MLFLOW_UNAVAILABLE";
}
