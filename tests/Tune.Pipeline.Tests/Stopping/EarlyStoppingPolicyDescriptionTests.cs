using Tune.Pipeline.Stopping;

namespace Tune.Pipeline.Tests.Stopping;

public class EarlyStoppingPolicyDescriptionTests
{
    public static TheoryData<EarlyStoppingPolicyOptions, string> Policies => new()
    {
        { new NoEarlyStoppingPolicyOptions(), "NoEarlyStoppingPolicy" },
        { new MedianStoppingPolicyOptions { EvaluationInterval = 2, DelayEvaluation = 5 }, "MedianStoppingPolicy(EvaluationInterval=2, DelayEvaluation=5)" },
        { new BanditPolicyOptions { SlackFactor = 0.1 }, "BanditPolicy(SlackFactor=0.1, EvaluationInterval=1, DelayEvaluation=0)" },
        { new BanditPolicyOptions { SlackAmount = 0.25 }, "BanditPolicy(SlackAmount=0.25, EvaluationInterval=1, DelayEvaluation=0)" },
        { new TruncationSelectionPolicyOptions { TruncationPercentage = 30 }, "TruncationSelectionPolicy(TruncationPercentage=30, ExcludeFinished=false, EvaluationInterval=1, DelayEvaluation=0)" },
        { new SuccessiveHalvingPolicyOptions(), "SuccessiveHalvingPolicy(MinResource=1, ReductionFactor=3)" },
        { new SuccessiveHalvingPolicyOptions { MaxResource = 27 }, "SuccessiveHalvingPolicy(MinResource=1, ReductionFactor=3, MaxResource=27)" },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void ToString_EachPolicy_NamesItAndItsSettingsInItsOptionsWords(EarlyStoppingPolicyOptions options, string expected)
    {
        var policy = options.CreatePolicy();

        Assert.Equal(expected, policy.ToString());
    }
}
