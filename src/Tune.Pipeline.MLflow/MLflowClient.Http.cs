using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tune.Pipeline.Tracking.MLflow.Wire;

namespace Tune.Pipeline.Tracking.MLflow;

public sealed partial class MLflowClient
{
    private const string ApiPrefix = "api/2.0/mlflow/";
    private const string ArtifactsPrefix = "api/2.0/mlflow-artifacts/artifacts/";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>When a failed call is sent again.</summary>
    private enum RetryMode
    {
        /// <summary>Never: the content cannot be sent twice.</summary>
        Never,

        /// <summary>After connection failures, timeouts, 429 and 5xx: the call is idempotent.</summary>
        Always,

        /// <summary>Only when the server surely did not act on it (no connection, 429): the call is not idempotent.</summary>
        UnlessReceived,
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(
        string route, TRequest body, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken, RetryMode retry = RetryMode.Always)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, requestInfo);
        return SendAsync(
            HttpMethod.Post,
            ApiPrefix + route,
            () =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = JsonMediaType;
                return content;
            },
            responseInfo,
            cancellationToken,
            retry);
    }

    private Task<TResponse> GetAsync<TResponse>(string route, IReadOnlyList<(string Name, string? Value)> query, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder(ApiPrefix).Append(route);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return SendAsync(HttpMethod.Get, builder.ToString(), static () => null, responseInfo, cancellationToken);
    }

    private async Task<TResponse> SendAsync<TResponse>(
        HttpMethod method, string relativePath, Func<HttpContent?> createContent, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken, RetryMode retry = RetryMode.Always)
    {
        using var response = await SendWithRetriesAsync(method, relativePath, createContent, retry, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, method, relativePath, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one call, retrying connection failures, timeouts, 429 and 5xx with exponential backoff; a 4xx answer is
    /// returned at once. The answer is the caller's to dispose.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        HttpMethod method, string relativePath, Func<HttpContent?> createContent, RetryMode retry, CancellationToken cancellationToken)
    {
        var operation = Describe(method, relativePath);
        for (var attempt = 0; ; attempt++)
        {
            var maySpendRetry = retry != RetryMode.Never && attempt < _options.MaxRetries;
            using var request = new HttpRequestMessage(method, new Uri(_baseAddress, relativePath)) { Content = createContent() };
            ApplyCredentials(request);

            HttpResponseMessage response;
            try
            {
                response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A reset or a timeout after the request went out may follow a server that acted on it: a call that
                // is not idempotent is then left to its caller, who can look for what it made.
                if (maySpendRetry && (retry == RetryMode.Always || ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }))
                {
                    await DelayAsync(attempt, retryAfter: null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // HttpRequestException's message names the host and port only; the URI has no credentials (validated).
                throw new MLflowException(
                    string.Create(CultureInfo.InvariantCulture, $"MLflow at {_options.DescribeServer()} could not be reached for {operation} after {attempt + 1} attempt(s): {ex.Message} Check that the server is up; the call can be repeated later."),
                    statusCode: null,
                    MLflowErrorCodes.Unavailable,
                    serverMessage: null,
                    isTransient: true,
                    ex);
            }

            var status = (int)response.StatusCode;
            if ((status == 429 || (status >= 500 && retry == RetryMode.Always)) && maySpendRetry)
            {
                var retryAfter = RetryAfter(response);
                response.Dispose();
                await DelayAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    private async Task<TResponse> ReadAsync<TResponse>(
        HttpResponseMessage response, HttpMethod method, string relativePath, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var isJson = mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);

        if (response.IsSuccessStatusCode)
        {
            if (body.Length == 0 && !isJson)
            {
                // MLflow answers every call with JSON ("{}" at the least): an empty answer is one whose connection closed
                // before the server wrote it, and treating it as success would drop what was sent.
                throw new MLflowException(
                    string.Create(CultureInfo.InvariantCulture, $"MLflow at {_options.DescribeServer()} answered {Describe(method, relativePath)} with {(int)response.StatusCode} and no body; MLflow always answers JSON, so the answer was cut short (or is not MLflow's). The call can be repeated."),
                    response.StatusCode,
                    MLflowErrorCodes.Unavailable,
                    serverMessage: null,
                    isTransient: true);
            }

            try
            {
                return JsonSerializer.Deserialize(body.Length == 0 ? "{}"u8 : body, responseInfo)
                    ?? throw new JsonException("The answer is JSON null.");
            }
            catch (JsonException ex)
            {
                throw new MLflowException(
                    $"MLflow at {_options.DescribeServer()} answered {Describe(method, relativePath)} with {(int)response.StatusCode} and a body that is not MLflow JSON ({mediaType ?? "no content type"}). Check that {MLflowClientOptions.TrackingUriVariable} points at an MLflow tracking server.",
                    response.StatusCode,
                    errorCode: null,
                    serverMessage: null,
                    isTransient: false,
                    ex);
            }
        }

        throw CreateError(response.StatusCode, mediaType, isJson ? body : null, method, relativePath);
    }

    private MLflowException CreateError(HttpStatusCode statusCode, string? mediaType, byte[]? jsonBody, HttpMethod method, string relativePath)
    {
        var status = (int)statusCode;
        var operation = Describe(method, relativePath);
        var transient = status == 429 || status >= 500;
        ErrorResponse? error = null;
        if (jsonBody is not null)
        {
            try
            {
                error = JsonSerializer.Deserialize(jsonBody, MLflowJsonContext.Default.ErrorResponse);
            }
            catch (JsonException)
            {
                // A JSON content type with a body that is not MLflow's error shape: reported below without it.
            }
        }

        if (error?.ErrorCode is { } code)
        {
            return new MLflowException(
                string.Create(CultureInfo.InvariantCulture, $"MLflow answered {status} {code} to {operation}: {error.Message}"),
                statusCode,
                code,
                error.Message,
                transient);
        }

        if (status is 404 or 405)
        {
            var what = status == 404 ? "does not know the route" : "does not allow this method on the route";
            return new MLflowException(
                string.Create(CultureInfo.InvariantCulture, $"MLflow at {_options.DescribeServer()} answered {status} ({mediaType ?? "no content type"}, not MLflow JSON) to {operation}: the server {what}. Check that {MLflowClientOptions.TrackingUriVariable} points at an MLflow tracking server recent enough for this call (artifact uploads need --serve-artifacts)."),
                statusCode,
                MLflowErrorCodes.EndpointNotFound,
                serverMessage: null,
                isTransient: false);
        }

        return new MLflowException(
            string.Create(CultureInfo.InvariantCulture, $"MLflow at {_options.DescribeServer()} answered {status} {statusCode} ({mediaType ?? "no content type"}) to {operation}{(transient ? " on every attempt; the call can be repeated later" : string.Empty)}."),
            statusCode,
            transient ? MLflowErrorCodes.Unavailable : null,
            serverMessage: null,
            transient);
    }

    private void ApplyCredentials(HttpRequestMessage request)
    {
        if (_options.UsesBasicAuth)
        {
            var pair = Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }
        else if (_options.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = RetryBackoff.GetDelay(attempt, _options.RetryDelay, _options.MaxRetryDelay, retryAfter);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _timeProvider, cancellationToken);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - _timeProvider.GetUtcNow() : null;
    }

    // The path relative to the API root: never the host's credentials or a query string's values.
    private static string Describe(HttpMethod method, string relativePath)
    {
        var path = relativePath.StartsWith(ApiPrefix, StringComparison.Ordinal) ? relativePath[ApiPrefix.Length..] : "/" + relativePath;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return $"{method.Method} {(query < 0 ? path : path[..query])}";
    }
}
