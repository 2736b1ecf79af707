using Tune.Pipeline.Tracking.MLflow.Tests.TestDoubles;

namespace Tune.Pipeline.Tracking.MLflow.Tests;

public sealed class MLflowClientOptionsTests
{
    [Fact]
    public void FromEnvironment_NoTrackingUri_ReturnsNull()
    {
        var options = MLflowClientOptions.FromEnvironment(Variables());

        Assert.Null(options);
    }

    [Fact]
    public void FromEnvironment_EveryVariable_ReadsThem()
    {
        var options = MLflowClientOptions.FromEnvironment(Variables(
            ("MLFLOW_TRACKING_URI", "https://mlflow.example:8443/prefix"),
            ("MLFLOW_TRACKING_USERNAME", "alice"),
            ("MLFLOW_TRACKING_PASSWORD", "s3cret"),
            ("MLFLOW_TRACKING_TOKEN", "tok"),
            ("MLFLOW_TRACKING_INSECURE_TLS", "TRUE")))!;

        Assert.Equal(new Uri("https://mlflow.example:8443/prefix"), options.TrackingUri);
        Assert.Equal(("alice", "s3cret", "tok", true), (options.Username, options.Password, options.Token, options.InsecureTls));
    }

    [Fact]
    public void FromEnvironment_InsecureTlsNotABoolean_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() => MLflowClientOptions.FromEnvironment(Variables(
            ("MLFLOW_TRACKING_URI", "http://localhost:5000"),
            ("MLFLOW_TRACKING_INSECURE_TLS", "yes"))));

        Assert.StartsWith("MLFLOW_TRACKING_INSECURE_TLS is 'yes'; MLflow reads true, false, 1 or 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_UriNotAbsolute_ThrowsWithoutRepeatingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => MLflowClientOptions.FromEnvironment(Variables(("MLFLOW_TRACKING_URI", "mlflow host s3cret"))));

        Assert.Contains("MLFLOW_TRACKING_URI is not an absolute URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UserAndPasswordWithoutScheme_ThrowsWithoutShowingThem()
    {
        var options = MLflowClientOptions.FromEnvironment(Variables(("MLFLOW_TRACKING_URI", "alice:s3cret@mlflow.example")))!;

        var error = Assert.Throws<ArgumentException>(() => new MLflowClient(options));

        Assert.Contains("The tracking URI is not an http or https address", error.Message, StringComparison.Ordinal);
        foreach (var text in new[] { error.Message, options.ToString() })
        {
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Constructor_CredentialsInTheUri_ThrowsWithoutShowingThem()
    {
        var options = new MLflowClientOptions { TrackingUri = new Uri("http://alice:s3cret@localhost:5000") };

        var error = Assert.Throws<ArgumentException>(() => new MLflowClient(options));

        Assert.Contains("The tracking URI carries credentials", error.Message, StringComparison.Ordinal);
        foreach (var text in new[] { error.Message, options.ToString() })
        {
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("file:///tmp/mlruns", "'file'")]
    [InlineData("sqlite:///mlflow.db", "'sqlite'")]
    public void Constructor_LocalStoreUri_ThrowsAskingForAServer(string uri, string scheme)
    {
        var error = Assert.Throws<ArgumentException>(() => new MLflowClient(new MLflowClientOptions { TrackingUri = new Uri(uri) }));

        Assert.Contains($"The tracking URI is a {scheme} address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SeveralInvalidOptions_ListsEveryProblem()
    {
        var options = new MLflowClientOptions { Username = "alice", MaxRetries = -1, RetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(1), MaxTagValueLength = 0 };

        var error = Assert.Throws<ArgumentException>(() => new MLflowClient(options));

        Assert.Contains("The tracking URI is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Only one of MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD is set", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryDelay is 00:00:01, below RetryDelay 00:00:05", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTagValueLength is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithSecrets_ShowsServerAndAuthKindOnly()
    {
        var options = new MLflowClientOptions { TrackingUri = new Uri("http://localhost:5000/prefix"), Username = "alice", Password = "s3cret", Token = "tok-1" };

        var text = options.ToString();

        Assert.Equal("MLflow at http://localhost:5000/prefix (basic auth)", text);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }
}
