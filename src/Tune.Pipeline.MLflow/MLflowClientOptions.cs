using System.Globalization;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Represents how to reach an MLflow tracking server and how hard to try.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="FromEnvironment(Func{string, string})"/> reads MLflow's own variables: <c>MLFLOW_TRACKING_URI</c>,
/// <c>MLFLOW_TRACKING_USERNAME</c> + <c>MLFLOW_TRACKING_PASSWORD</c> (basic auth), <c>MLFLOW_TRACKING_TOKEN</c> (bearer)
/// and <c>MLFLOW_TRACKING_INSECURE_TLS</c>. As in MLflow's Python client, basic auth wins when both are set.
/// </para>
/// <para>
/// The password and token are secrets: <see cref="ToString"/>, exception messages and warnings never show them, nor
/// the username.
/// </para>
/// </remarks>
public sealed class MLflowClientOptions
{
    /// <summary>The variable holding the tracking server's URL.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The variable holding the basic-auth username.</summary>
    public const string UsernameVariable = "MLFLOW_TRACKING_USERNAME";

    /// <summary>The variable holding the basic-auth password.</summary>
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    /// <summary>The variable holding the bearer token.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";

    /// <summary>The variable that, set to <c>true</c>, turns off TLS certificate checks.</summary>
    public const string InsecureTlsVariable = "MLFLOW_TRACKING_INSECURE_TLS";

    private static readonly HashSet<string> LocalStoreSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "file", "sqlite", "postgresql", "mysql", "mssql", "databricks", "databricks-uc", "uc",
    };

    /// <summary>Gets or sets the tracking server's URL, such as <c>http://localhost:5000</c>.</summary>
    /// <value>Required. An absolute http or https URL without credentials in it; a path prefix is kept.</value>
    public Uri? TrackingUri { get; set; }

    /// <summary>Gets or sets the basic-auth username.</summary>
    /// <value><see langword="null"/> by default.</value>
    /// <remarks>Used only together with <see cref="Password"/>.</remarks>
    public string? Username { get; set; }

    /// <summary>Gets or sets the basic-auth password. A secret: never shown.</summary>
    /// <value><see langword="null"/> by default.</value>
    public string? Password { get; set; }

    /// <summary>Gets or sets the bearer token. A secret: never shown.</summary>
    /// <value><see langword="null"/> by default.</value>
    /// <remarks>Ignored when <see cref="Username"/> and <see cref="Password"/> are both set.</remarks>
    public string? Token { get; set; }

    /// <summary>Gets or sets a value indicating whether TLS certificates go unchecked.</summary>
    /// <value><see langword="false"/> by default.</value>
    /// <remarks>Applies only when the client creates its own <see cref="HttpClient"/>.</remarks>
    public bool InsecureTls { get; set; }

    /// <summary>Gets or sets how many times a call is retried after a connection failure, 429 or 5xx.</summary>
    /// <value>5 by default; between 0 and 100. A 4xx answer is never retried.</value>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Gets or sets the delay before the first retry; each further retry waits twice as long.</summary>
    /// <value>1 second by default; zero or more.</value>
    /// <remarks>A <c>Retry-After</c> header on a 429 or 503 answer replaces the computed delay, up to <see cref="MaxRetryDelay"/>.</remarks>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>30 seconds by default; at least <see cref="RetryDelay"/>.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets what happens to a param value over 6000 characters or a tag value over <see cref="MaxTagValueLength"/>.</summary>
    /// <value><see cref="OversizeValuePolicy.Refuse"/> by default.</value>
    public OversizeValuePolicy OversizeValues { get; set; } = OversizeValuePolicy.Refuse;

    /// <summary>Gets or sets the longest tag value the server keeps.</summary>
    /// <value>5000 by default (MLflow 2.x); MLflow 3 servers keep 8000. Between 1 and 8000.</value>
    public int MaxTagValueLength { get; set; } = 5000;

    /// <summary>Gets or sets the callback that receives warnings, such as a value truncated under <see cref="OversizeValuePolicy.Truncate"/>.</summary>
    /// <value><see langword="null"/> by default: warnings are only returned in <see cref="MLflowBatchResult.Warnings"/>.</value>
    public Action<string>? Warning { get; set; }

    /// <summary>
    /// Reads the options from the process's environment variables.
    /// </summary>
    /// <returns>The options; <see langword="null"/> when <c>MLFLOW_TRACKING_URI</c> is not set (tracking is off).</returns>
    /// <exception cref="ArgumentException">A variable holds a value that cannot be used.</exception>
    public static MLflowClientOptions? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>
    /// Reads the options through an environment accessor.
    /// </summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    /// <returns>The options; <see langword="null"/> when <c>MLFLOW_TRACKING_URI</c> is not set (tracking is off).</returns>
    /// <exception cref="ArgumentException">A variable holds a value that cannot be used; the message never repeats a secret.</exception>
    public static MLflowClientOptions? FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);

        var uri = getVariable(TrackingUriVariable);
        if (string.IsNullOrWhiteSpace(uri))
        {
            return null;
        }

        var problems = new List<string>();
        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var trackingUri))
        {
            // The URI may carry credentials, so it is not repeated.
            problems.Add($"{TrackingUriVariable} is not an absolute URL. Set it to the tracking server's address, such as http://localhost:5000.");
        }

        var insecure = false;
        var insecureText = getVariable(InsecureTlsVariable);
        if (!string.IsNullOrWhiteSpace(insecureText) && !TryParseBoolean(insecureText.Trim(), out insecure))
        {
            problems.Add($"{InsecureTlsVariable} is '{insecureText}'; MLflow reads true, false, 1 or 0. Use one of those.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(getVariable));
        }

        return new MLflowClientOptions
        {
            TrackingUri = trackingUri,
            Username = NullIfEmpty(getVariable(UsernameVariable)),
            Password = NullIfEmpty(getVariable(PasswordVariable)),
            Token = NullIfEmpty(getVariable(TokenVariable)),
            InsecureTls = insecure,
        };
    }

    /// <summary>
    /// Reads the options through an environment accessor, with a tracking URL given on the command line
    /// (<c>--tracking-uri</c>) in place of <c>MLFLOW_TRACKING_URI</c>; credentials still come from MLflow's variables.
    /// </summary>
    /// <param name="getVariable">Returns a variable's value, or <see langword="null"/> when it is not set.</param>
    /// <param name="trackingUri">The tracking server's URL; <see langword="null"/> to read <c>MLFLOW_TRACKING_URI</c>.</param>
    /// <returns>The options; <see langword="null"/> when neither gives a URL (tracking is off).</returns>
    /// <exception cref="ArgumentException">A value cannot be used; the message never repeats a secret.</exception>
    public static MLflowClientOptions? FromEnvironment(Func<string, string?> getVariable, string? trackingUri)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return FromEnvironment(name => name == TrackingUriVariable && !string.IsNullOrWhiteSpace(trackingUri) ? trackingUri : getVariable(name));
    }

    /// <summary>Returns the server's address and which kind of credentials are set, never their values.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"MLflow at {DescribeServer()} ({DescribeAuth()})";

    // Only a well-formed http(s) address is shown, without user info: anything else may hold a mistyped secret.
    internal string DescribeServer() => TrackingUri switch
    {
        null => "(no tracking URI)",
        { IsAbsoluteUri: true } uri when uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps =>
            uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
        _ => "(a tracking URI that is not http or https)",
    };

    internal string DescribeAuth() => UsesBasicAuth ? "basic auth" : Token is not null ? "bearer token" : "no auth";

    internal bool UsesBasicAuth => Username is not null && Password is not null;

    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TrackingUri is null)
        {
            problems.Add($"The tracking URI is not set. Set {TrackingUriVariable} or MLflowClientOptions.TrackingUri to the server's address, such as http://localhost:5000.");
        }
        else if (!TrackingUri.IsAbsoluteUri || (TrackingUri.Scheme != Uri.UriSchemeHttp && TrackingUri.Scheme != Uri.UriSchemeHttps))
        {
            // Only MLflow's own store schemes are named: anything else may be a mistyped "user:password@host".
            var scheme = TrackingUri.IsAbsoluteUri && LocalStoreSchemes.Contains(TrackingUri.Scheme) ? $"a '{TrackingUri.Scheme}'" : "not an http or https";
            problems.Add($"The tracking URI is {scheme} address; the client talks to a tracking server over http or https. Start one (mlflow server --backend-store-uri ...) and point {TrackingUriVariable} at it.");
        }
        else if (!string.IsNullOrEmpty(TrackingUri.UserInfo))
        {
            problems.Add($"The tracking URI carries credentials. Move them to {UsernameVariable} and {PasswordVariable}, so that they stay out of logs and messages.");
        }

        if ((Username is null) != (Password is null) && Token is null)
        {
            problems.Add($"Only one of {UsernameVariable} and {PasswordVariable} is set. Set both for basic auth, or neither.");
        }

        if (MaxRetries is < 0 or > 100)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxRetries is {MaxRetries}; it must be between 0 and 100."));
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"RetryDelay is {RetryDelay}; it must be zero or more."));
        }

        if (MaxRetryDelay < RetryDelay)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxRetryDelay is {MaxRetryDelay}, below RetryDelay {RetryDelay}. Raise it."));
        }

        if (MaxTagValueLength is < 1 or > 8000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaxTagValueLength is {MaxTagValueLength}; it must be between 1 and 8000."));
        }

        if (!Enum.IsDefined(OversizeValues))
        {
            problems.Add($"OversizeValues is {OversizeValues}; use Refuse or Truncate.");
        }

        return problems;
    }

    private static bool TryParseBoolean(string text, out bool value)
    {
        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "1":
                value = true;
                return true;
            case "FALSE" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
