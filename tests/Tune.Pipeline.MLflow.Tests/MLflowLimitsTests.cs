namespace Tune.Pipeline.Tracking.MLflow.Tests;

public sealed class MLflowLimitsTests
{
    [Theory]
    [InlineData("auc")]
    [InlineData("val/auc")]
    [InlineData("learning-rate 0.1_x")]
    [InlineData("mlflow.parentRunId")]
    [InlineData("größe")]
    public void CheckKey_ValidKey_ReturnsNull(string key)
    {
        var problem = MLflowLimits.CheckKey("metric", key);

        Assert.Null(problem);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a:b", "has characters MLflow refuses")]
    [InlineData("a\"b", "has characters MLflow refuses")]
    [InlineData("../a", "not a normalised relative path")]
    [InlineData("a/..", "not a normalised relative path")]
    [InlineData("/a", "not a normalised relative path")]
    [InlineData("a//b", "not a normalised relative path")]
    [InlineData("a/./b", "not a normalised relative path")]
    public void CheckKey_InvalidKey_SaysWhy(string key, string expected)
    {
        var problem = MLflowLimits.CheckKey("metric", key);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckKey_251Characters_SaysTheLimit()
    {
        var problem = MLflowLimits.CheckKey("param", new string('k', 251));

        Assert.Contains("has 251 characters; MLflow allows 250", problem, StringComparison.Ordinal);
    }
}
