namespace Tune.Pipeline.Tests;

public sealed class DevicesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TryParseCuda_NameFromCuda_GivesTheIndexBack(int index)
    {
        Assert.True(Devices.TryParseCuda(Devices.Cuda(index), out var parsed));
        Assert.Equal(index, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda: 1")]
    [InlineData("CUDA:1")]
    [InlineData("gpu0")]
    public void TryParseCuda_NotACudaName_IsFalse(string? name)
    {
        Assert.False(Devices.TryParseCuda(name, out _));
    }

    [Fact]
    public void Cuda_NegativeIndex_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Devices.Cuda(-1));
    }
}
