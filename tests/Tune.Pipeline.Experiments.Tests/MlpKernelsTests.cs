using DigitsGpu;
using ILGPU;
using ILGPU.Runtime;
using Tune.Pipeline.Gpu;

namespace Tune.Pipeline.Experiments.Tests;

/// <summary>
/// DigitsGpu's kernels on ILGPU's CPU accelerator (the one this machine has) against <see cref="ReferenceMlp"/>: the
/// forward pass within float rounding, the gradients against finite differences, the optimiser step and dropout by
/// their formulas. Sizes are tiny: the CPU accelerator runs kernels slowly.
/// </summary>
public sealed class MlpKernelsTests : IDisposable
{
    private static readonly DigitsData Data = DigitsData.Load(DigitsGpuExperiment.DataPath);
    private readonly GpuAccelerator _accelerator = GpuAccelerators.Open(device: null, threads: 2);
    private readonly MlpKernelSet _kernels;
    private readonly DeviceRows _rows;

    public MlpKernelsTests()
    {
        _kernels = new MlpKernelSet(_accelerator.Accelerator);
        _rows = new DeviceRows(_accelerator.Accelerator, Data.AllFeatures, Data.AllLabels, DigitsData.Features);
    }

    [Fact]
    public void Forward_TwoHiddenLayers_MatchesTheReferenceNetwork()
    {
        using var trainer = Trainer(new MlpSettings(Width: 12, Depth: 2, BatchSize: 7, LearningRate: 0.1f, Momentum: 0.9f, WeightDecay: 0f, Dropout: 0f));
        int[] batch = [.. Data.Train.Take(7)];
        using var rows = _accelerator.Accelerator.Allocate1D(batch);

        trainer.ForwardBackward(_rows, rows.View, training: false);

        var reference = ReferenceMlp.From(trainer.Download());
        var logits = trainer.DownloadActivations(3, batch.Length);
        var hidden = trainer.DownloadActivations(1, batch.Length);
        for (var b = 0; b < batch.Length; b++)
        {
            var layers = reference.Forward(Data.AllFeatures.AsSpan(batch[b] * DigitsData.Features, DigitsData.Features));
            for (var j = 0; j < 12; j++)
            {
                Assert.Equal(layers[1][j], hidden[(b * 12) + j], 1e-4);
            }

            for (var c = 0; c < DigitsData.Classes; c++)
            {
                Assert.Equal(layers[3][c], logits[(b * DigitsData.Classes) + c], 1e-4);
            }
        }

        // The batch's loss from the kernel's softmax cross-entropy, against the reference's.
        Assert.Equal(reference.Loss(Data.AllFeatures, Data.AllLabels, batch), trainer.BatchLoss(batch.Length), 1e-5);
    }

    [Fact]
    public void Gradients_TinyNetwork_MatchFiniteDifferencesOfTheReferenceLoss()
    {
        using var trainer = Trainer(new MlpSettings(Width: 5, Depth: 2, BatchSize: 4, LearningRate: 0.1f, Momentum: 0.9f, WeightDecay: 0f, Dropout: 0f));
        int[] batch = [.. Data.Train.Skip(10).Take(4)];
        using var rows = _accelerator.Accelerator.Allocate1D(batch);

        trainer.ForwardBackward(_rows, rows.View, training: true);

        var (weightGradients, biasGradients) = trainer.DownloadGradients();
        var reference = ReferenceMlp.From(trainer.Download());
        const double h = 1e-4;
        var checkedCount = 0;
        for (var l = 0; l < reference.Weights.Length; l++)
        {
            // Every bias, and a spread of weights of each layer (all of them would take long for the first layer).
            var step = Math.Max(1, reference.Weights[l].Length / 40);
            for (var k = 0; k < reference.Weights[l].Length; k += step)
            {
                AssertGradient(reference, reference.Weights[l], k, weightGradients[l][k], $"w[{l}][{k}]");
                checkedCount++;
            }

            for (var k = 0; k < reference.Biases[l].Length; k++)
            {
                AssertGradient(reference, reference.Biases[l], k, biasGradients[l][k], $"b[{l}][{k}]");
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 60);

        void AssertGradient(ReferenceMlp network, double[] parameters, int k, float analytic, string name)
        {
            var saved = parameters[k];
            parameters[k] = saved + h;
            var up = network.Loss(Data.AllFeatures, Data.AllLabels, batch);
            parameters[k] = saved - h;
            var down = network.Loss(Data.AllFeatures, Data.AllLabels, batch);
            parameters[k] = saved;
            var numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic) <= 1e-3 + (1e-2 * Math.Abs(numeric)), $"{name}: kernel gradient {analytic}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Step_FirstBatch_IsSgdWithWeightDecayOnWeightsOnly()
    {
        var settings = new MlpSettings(Width: 6, Depth: 1, BatchSize: 8, LearningRate: 0.2f, Momentum: 0.9f, WeightDecay: 0.01f, Dropout: 0f);
        int[] batch = [.. Data.Train.Take(8)];
        using var rows = _accelerator.Accelerator.Allocate1D(batch);
        using var probe = Trainer(settings);
        probe.ForwardBackward(_rows, rows.View, training: true);
        var (gw, gb) = probe.DownloadGradients();
        var before = probe.Download();

        // The same seed gives the same initial weights; one epoch of one batch is one step from zero velocity.
        using var trained = Trainer(settings);
        trained.TrainEpoch(_rows, rows.View);
        var after = trained.Download();

        for (var l = 0; l < after.Weights.Length; l++)
        {
            for (var k = 0; k < after.Weights[l].Length; k++)
            {
                Assert.Equal(before.Weights[l][k] - (0.2f * (gw[l][k] + (0.01f * before.Weights[l][k]))), after.Weights[l][k], 1e-6);
            }

            for (var k = 0; k < after.Biases[l].Length; k++)
            {
                Assert.Equal(before.Biases[l][k] - (0.2f * gb[l][k]), after.Biases[l][k], 1e-6);
            }
        }
    }

    [Fact]
    public void Dropout_KeepsUnitsWithTheCounterBasedDrawAndScalesThem()
    {
        var dropout = _accelerator.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ulong, ulong, float>(MlpKernels.Dropout);
        const int n = 4000;
        using var values = _accelerator.Accelerator.Allocate1D(Enumerable.Repeat(1f, n).ToArray());
        using var mask = _accelerator.Accelerator.Allocate1D<float>(n);

        dropout(n, values.View, mask.View, 42UL, 1000UL, 0.25f);

        var kept = values.GetAsArray1D();
        for (var k = 0; k < n; k++)
        {
            var expected = MlpKernels.Uniform(42UL, 1000UL + (ulong)k) >= 0.25f ? 1f / 0.75f : 0f;
            Assert.Equal(expected, kept[k]);
        }

        // About three quarters kept: 3000 expected, standard deviation about 27.
        Assert.InRange(kept.Count(v => v > 0), 2850, 3150);
    }

    [Fact]
    public async Task Trial_SameSeed_GivesTheSameStepsBitForBit()
    {
        using var experiment = new DigitsGpuExperiment();
        await experiment.PrepareAsync(new ExperimentContext { Threads = 2 }, CancellationToken.None);
        var parameters = new DigitsGpuExperiment.Parameters { Width = 16, Epochs = 2, BatchSize = 256, Dropout = 0.2 };

        var first = new RecordingTrialContext(Path.GetTempPath());
        var second = new RecordingTrialContext(Path.GetTempPath());
        await experiment.RunTrialAsync(parameters, first, CancellationToken.None);
        await experiment.RunTrialAsync(parameters, second, CancellationToken.None);

        Assert.Equal(first.Steps, second.Steps);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _accelerator.Dispose();
    }

    private MlpTrainer Trainer(MlpSettings settings) => new(_kernels, DigitsData.Features, DigitsData.Classes, settings, seed: 3);
}
