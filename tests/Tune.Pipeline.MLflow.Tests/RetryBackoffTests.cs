namespace Tune.Pipeline.Tracking.MLflow.Tests;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(1000, 30)]
    public void GetDelay_Attempt_DoublesUpToTheMaximum(int attempt, int expectedSeconds)
    {
        var delay = RetryBackoff.GetDelay(attempt, Initial, Max, retryAfter: null);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(120, 30)]
    [InlineData(-3, 0)]
    public void GetDelay_RetryAfter_UsesItWithinZeroAndTheMaximum(int retryAfterSeconds, int expectedSeconds)
    {
        var delay = RetryBackoff.GetDelay(3, Initial, Max, TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }
}
