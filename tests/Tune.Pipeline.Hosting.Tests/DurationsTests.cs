namespace Tune.Pipeline.Hosting.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1.5h", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172_800)]
    [InlineData("01:30:00", 5400)]
    [InlineData("00:00:00.5000000", 0.5)]
    [InlineData("49d", 4_233_600)]
    public void TryParse_Duration_ReadsIt(string text, double seconds)
    {
        var parsed = Durations.TryParse(text, out var duration);

        Assert.True(parsed);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("1e300s")]
    [InlineData("99999999999h")]
    [InlineData("99999999999999999999d")]
    [InlineData("50d")]
    [InlineData("10675199.02:48:05.4775807")]
    [InlineData("5")]
    public void TryParse_NotAPositiveDurationWithinTheLimit_ReturnsFalse(string text)
    {
        var parsed = Durations.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void Parse_Overflowing_ThrowsAUsageErrorNamingTheOption()
    {
        var exception = Assert.Throws<UsageException>(() => Durations.Parse("1e300s", "--lease-timeout"));

        Assert.Equal("--lease-timeout '1e300s' is not a positive duration such as 500ms, 90s, 15m, 2h, 1h30m or 01:30:00, of at most 49 days.", exception.Message);
    }
}
