using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class InFlightTrialsTests
{
    [Fact]
    public void Recommend_TwoAgentsMinuteLongTrials_KeepsTwoInFlight()
    {
        var c = InFlightTrials.Recommend(2, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50));

        Assert.Equal(2, c);
    }

    [Fact]
    public void Recommend_TrialsShorterThanTenHandOffs_AddsOneTrialPerSlot()
    {
        var c = InFlightTrials.Recommend(2, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50));

        Assert.Equal(4, c);
    }

    [Fact]
    public void Recommend_UnknownTrialDuration_KeepsOnePerSlot()
    {
        var c = InFlightTrials.Recommend(3, null, TimeSpan.FromMilliseconds(50));

        Assert.Equal(3, c);
    }

    [Fact]
    public void Recommend_NoSlots_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InFlightTrials.Recommend(0, null, TimeSpan.Zero));
    }
}
