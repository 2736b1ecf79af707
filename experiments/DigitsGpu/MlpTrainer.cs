using ILGPU;
using ILGPU.Runtime;
using Tune.Pipeline;

namespace DigitsGpu;

/// <summary>The settings a training run uses, from a trial's parameters.</summary>
internal sealed record MlpSettings(int Width, int Depth, int BatchSize, float LearningRate, float Momentum, float WeightDecay, float Dropout)
{
    /// <summary>Gets the layer sizes: the inputs, <see cref="Depth"/> hidden layers of <see cref="Width"/>, the classes.</summary>
    public int[] Sizes(int inputs, int classes) => [inputs, .. Enumerable.Repeat(Width, Depth), classes];
}

/// <summary>The kernels of <see cref="MlpKernels"/>, compiled for one accelerator: once per agent, since compiling is the slow part of a first launch.</summary>
internal sealed class MlpKernelSet
{
    public MlpKernelSet(Accelerator accelerator)
    {
        Accelerator = accelerator;
        Gather = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(MlpKernels.Gather);
        DenseForward = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(MlpKernels.DenseForward);
        Dropout = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ulong, ulong, float>(MlpKernels.Dropout);
        SoftmaxCrossEntropy = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, float>(MlpKernels.SoftmaxCrossEntropy);
        DenseBackwardInput = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(MlpKernels.DenseBackwardInput);
        DenseBackwardWeights = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(MlpKernels.DenseBackwardWeights);
        MomentumStep = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float>(MlpKernels.MomentumStep);
        ArgMax = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, int>(MlpKernels.ArgMax);
    }

    public Accelerator Accelerator { get; }

    public Action<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> Gather { get; }

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> DenseForward { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ulong, ulong, float> Dropout { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, float> SoftmaxCrossEntropy { get; }

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> DenseBackwardInput { get; }

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> DenseBackwardWeights { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float> MomentumStep { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<int>, int> ArgMax { get; }
}

/// <summary>Rows of features and labels on an accelerator: uploaded once per agent and read by every trial there.</summary>
internal sealed class DeviceRows : IDisposable
{
    public DeviceRows(Accelerator accelerator, float[] features, int[] labels, int featureCount)
    {
        Features = accelerator.Allocate1D(features);
        Labels = accelerator.Allocate1D(labels);
        FeatureCount = featureCount;
        Count = labels.Length;
    }

    public MemoryBuffer1D<float, Stride1D.Dense> Features { get; }

    public MemoryBuffer1D<int, Stride1D.Dense> Labels { get; }

    public int FeatureCount { get; }

    public int Count { get; }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Trains an MLP (ReLU hidden layers, inverted dropout after each, softmax cross-entropy, SGD with momentum and weight
/// decay) on an accelerator, with the kernels of <see cref="MlpKernels"/>.
/// </summary>
internal sealed class MlpTrainer : IDisposable
{
    /// <summary>Rows evaluated per launch when scoring.</summary>
    public const int EvaluationChunk = 256;

    private readonly MlpKernelSet _k;
    private readonly MlpSettings _settings;
    private readonly int[] _sizes;
    private readonly int _capacity;
    private readonly ulong _dropoutSeed;
    private readonly List<MemoryBuffer1D<float, Stride1D.Dense>> _owned = [];
    private readonly ArrayView<float>[] _w, _b, _gw, _gb, _vw, _vb;

    // _h[0] is the gathered input batch; _h[l] the output of layer l (logits for the last); _dz[l] the gradient at layer l's pre-activation.
    private readonly ArrayView<float>[] _h, _mask, _dz;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _loss;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _predicted;
    private ulong _steps;

    public MlpTrainer(MlpKernelSet kernels, int inputs, int classes, MlpSettings settings, long seed)
    {
        _k = kernels;
        _settings = settings;
        _sizes = settings.Sizes(inputs, classes);
        _capacity = Math.Max(settings.BatchSize, EvaluationChunk);
        var random = new SeededRandom(seed);
        _dropoutSeed = random.NextUInt64();
        var layers = _sizes.Length - 1;
        (_w, _b, _gw, _gb, _vw, _vb) = (new ArrayView<float>[layers], new ArrayView<float>[layers], new ArrayView<float>[layers], new ArrayView<float>[layers], new ArrayView<float>[layers], new ArrayView<float>[layers]);
        (_h, _mask, _dz) = (new ArrayView<float>[layers + 1], new ArrayView<float>[layers + 1], new ArrayView<float>[layers + 1]);
        for (var l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];

            // He initialisation for ReLU layers (K. He et al., "Delving deep into rectifiers", ICCV 2015), uniform with
            // the same variance 2 / fan-in; biases start at 0.
            var limit = Math.Sqrt(6.0 / fanIn);
            var weights = new float[fanIn * fanOut];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(((random.NextDouble() * 2) - 1) * limit);
            }

            _w[l] = Own(kernels.Accelerator.Allocate1D(weights));
            _b[l] = Zeros(fanOut);
            _gw[l] = Zeros(weights.Length);
            _gb[l] = Zeros(fanOut);
            _vw[l] = Zeros(weights.Length);
            _vb[l] = Zeros(fanOut);
        }

        for (var l = 0; l <= layers; l++)
        {
            _h[l] = Zeros(_capacity * _sizes[l]);
            _mask[l] = Zeros(_capacity * _sizes[l]);
            _dz[l] = Zeros(_capacity * _sizes[l]);
        }

        _loss = kernels.Accelerator.Allocate1D<float>(_capacity);
        _predicted = kernels.Accelerator.Allocate1D<int>(_capacity);
    }

    private int Layers => _sizes.Length - 1;

    /// <summary>Trains one epoch: the rows in <paramref name="order"/> (indexes into <paramref name="rows"/>), in batches.</summary>
    /// <remarks>Nothing is read back between batches: the launches queue on the accelerator's stream without a round trip.</remarks>
    public void TrainEpoch(DeviceRows rows, ArrayView<int> order)
    {
        for (var start = 0; start < order.IntLength; start += _settings.BatchSize)
        {
            var batch = Math.Min(_settings.BatchSize, order.IntLength - start);
            ForwardBackward(rows, order.SubView(start, batch), training: true);
            Step();
        }
    }

    /// <summary>Runs one batch forward and backward, leaving the gradients and each row's loss on the accelerator.</summary>
    public void ForwardBackward(DeviceRows rows, ArrayView<int> batchRows, bool training)
    {
        var batch = batchRows.IntLength;
        Forward(rows, batchRows, training);
        var classes = _sizes[^1];
        _k.SoftmaxCrossEntropy(batch, _h[Layers], rows.Labels.View, batchRows, _dz[Layers], _loss.View, classes, 1f / batch);
        for (var l = Layers - 1; l >= 0; l--)
        {
            // Layer l maps _h[l] (size _sizes[l]) to layer l + 1's pre-activation, whose gradient is _dz[l + 1].
            _k.DenseBackwardWeights(new Index2D(_sizes[l] + 1, _sizes[l + 1]), _h[l], _dz[l + 1], _gw[l], _gb[l], batch, _sizes[l], _sizes[l + 1]);
            if (l > 0)
            {
                _k.DenseBackwardInput(new Index2D(batch, _sizes[l]), _dz[l + 1], _w[l], _h[l], _mask[l], _dz[l], _sizes[l], _sizes[l + 1]);
            }
        }
    }

    /// <summary>Gets the mean loss of the last <see cref="ForwardBackward"/>'s batch of <paramref name="batch"/> rows.</summary>
    public double BatchLoss(int batch)
    {
        var sum = 0.0;
        foreach (var loss in _loss.View.SubView(0, batch).GetAsArray1D())
        {
            sum += loss;
        }

        return sum / batch;
    }

    /// <summary>Scores rows: accuracy and mean loss, without dropout.</summary>
    public (double Accuracy, double Loss) Evaluate(DeviceRows rows, ArrayView<int> which, int[] labels)
    {
        var correct = 0;
        var loss = 0.0;
        for (var start = 0; start < which.IntLength; start += EvaluationChunk)
        {
            var count = Math.Min(EvaluationChunk, which.IntLength - start);
            var chunk = which.SubView(start, count);
            Forward(rows, chunk, training: false);
            _k.SoftmaxCrossEntropy(count, _h[Layers], rows.Labels.View, chunk, _dz[Layers], _loss.View, _sizes[^1], 1f);
            _k.ArgMax(count, _h[Layers], _predicted.View, _sizes[^1]);
            var predicted = _predicted.View.SubView(0, count).GetAsArray1D();
            var losses = _loss.View.SubView(0, count).GetAsArray1D();
            for (var i = 0; i < count; i++)
            {
                correct += predicted[i] == labels[start + i] ? 1 : 0;
                loss += losses[i];
            }
        }

        return ((double)correct / which.IntLength, loss / which.IntLength);
    }

    /// <summary>Copies the weights and biases back from the accelerator.</summary>
    public MlpModel Download() => new(
        _sizes,
        [.. _w.Select(w => Read(w))],
        [.. _b.Select(b => Read(b))]);

    /// <summary>Copies the last <see cref="ForwardBackward"/>'s gradients back: weights then biases, per layer.</summary>
    public (float[][] Weights, float[][] Biases) DownloadGradients() =>
        ([.. _gw.Select(g => Read(g))], [.. _gb.Select(g => Read(g))]);

    /// <summary>Copies the output of layer <paramref name="layer"/> (1..depth + 1; the last is the logits) for the last batch's first <paramref name="rows"/> rows.</summary>
    public float[] DownloadActivations(int layer, int rows) => Read(_h[layer].SubView(0, rows * _sizes[layer]));

    public void Dispose()
    {
        foreach (var buffer in _owned)
        {
            buffer.Dispose();
        }

        _loss.Dispose();
        _predicted.Dispose();
    }

    private void Forward(DeviceRows rows, ArrayView<int> batchRows, bool training)
    {
        var batch = batchRows.IntLength;
        _k.Gather(new Index2D(batch, rows.FeatureCount), rows.Features.View, batchRows, _h[0], rows.FeatureCount);
        for (var l = 0; l < Layers; l++)
        {
            var hidden = l < Layers - 1;
            _k.DenseForward(new Index2D(batch, _sizes[l + 1]), _h[l], _w[l], _b[l], _h[l + 1], _sizes[l], _sizes[l + 1], hidden ? 1 : 0);
            if (hidden)
            {
                var units = batch * _sizes[l + 1];
                var mask = _mask[l + 1];

                // Without dropout (or when scoring) the mask is all ones, which DenseBackwardInput reads the same way.
                var rate = training ? _settings.Dropout : 0f;
                _k.Dropout(units, _h[l + 1], mask, _dropoutSeed, ((_steps * (ulong)Layers) + (ulong)l) * (ulong)(_capacity * _settings.Width), rate);
            }
        }
    }

    private void Step()
    {
        for (var l = 0; l < Layers; l++)
        {
            _k.MomentumStep(_w[l].IntLength, _w[l], _gw[l], _vw[l], _settings.LearningRate, _settings.Momentum, _settings.WeightDecay);

            // Biases are not decayed (the usual practice: decay shrinks weights towards 0, a bias has no scale to shrink).
            _k.MomentumStep(_b[l].IntLength, _b[l], _gb[l], _vb[l], _settings.LearningRate, _settings.Momentum, 0f);
        }

        _steps++;
    }

    private static T[] Read<T>(ArrayView<T> view)
        where T : unmanaged => ((ArrayView1D<T, Stride1D.Dense>)view).GetAsArray1D();

    private ArrayView<float> Zeros(int length)
    {
        var buffer = _k.Accelerator.Allocate1D<float>(length);
        buffer.MemSetToZero();
        return Own(buffer);
    }

    private ArrayView<float> Own(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        _owned.Add(buffer);
        return buffer.View;
    }
}
