using ILGPU;
using ILGPU.Algorithms;

namespace DigitsGpu;

/// <summary>
/// The MLP's ILGPU kernels. Matrices are row-major in one-dimensional views: a batch's activations are
/// [rows, units], a layer's weights [inputs, outputs].
/// </summary>
/// <remarks>
/// Every output element is written by exactly one kernel thread, which sums its terms in a fixed order: no atomics and
/// no shared-memory reductions, so a kernel's result does not depend on how the accelerator schedules its threads, and
/// a trial is bit-for-bit repeatable from its seed on the CPU accelerator (and, on one GPU model and driver, on the GPU).
/// </remarks>
internal static class MlpKernels
{
    /// <summary>Copies the rows a batch uses into a dense batch: <c>x[b, i] = data[rows[b], i]</c>.</summary>
    public static void Gather(Index2D index, ArrayView<float> data, ArrayView<int> rows, ArrayView<float> x, int features)
    {
        int b = index.X, i = index.Y;
        x[(b * features) + i] = data[((long)rows[b] * features) + i];
    }

    /// <summary>A dense layer: <c>y[b, j] = bias[j] + sum_i x[b, i] w[i, j]</c>, then max(0, y) when <paramref name="relu"/> is 1.</summary>
    public static void DenseForward(Index2D index, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y, int inputs, int outputs, int relu)
    {
        int b = index.X, j = index.Y;
        var sum = bias[j];
        for (var i = 0; i < inputs; i++)
        {
            sum += x[(b * inputs) + i] * w[(i * outputs) + j];
        }

        y[(b * outputs) + j] = relu == 1 && sum < 0f ? 0f : sum;
    }

    /// <summary>
    /// Inverted dropout: each unit is kept with probability 1 - rate and scaled by 1 / (1 - rate), else zeroed; the
    /// factor is kept in <paramref name="mask"/> for the backward pass. The draw for element k is
    /// <see cref="Uniform"/>(seed, counter + k): a counter-based generator, so no state is shared between threads.
    /// </summary>
    public static void Dropout(Index1D k, ArrayView<float> y, ArrayView<float> mask, ulong seed, ulong counter, float rate)
    {
        var keep = Uniform(seed, counter + (ulong)k.X) >= rate ? 1f / (1f - rate) : 0f;
        mask[k] = keep;
        y[k] *= keep;
    }

    /// <summary>
    /// Softmax cross-entropy of a batch's logits, one thread per row: the loss of row b, and the gradient of the batch's
    /// mean loss with respect to its logits, <c>(softmax - onehot) / batch</c>.
    /// </summary>
    public static void SoftmaxCrossEntropy(Index1D b, ArrayView<float> logits, ArrayView<int> labels, ArrayView<int> rows, ArrayView<float> gradient, ArrayView<float> loss, int classes, float scale)
    {
        var row = b.X * classes;
        var max = logits[row];
        for (var c = 1; c < classes; c++)
        {
            max = XMath.Max(max, logits[row + c]);
        }

        var total = 0f;
        for (var c = 0; c < classes; c++)
        {
            total += XMath.Exp(logits[row + c] - max);
        }

        var label = labels[rows[b]];
        for (var c = 0; c < classes; c++)
        {
            var p = XMath.Exp(logits[row + c] - max) / total;
            gradient[row + c] = (p - (c == label ? 1f : 0f)) * scale;
        }

        loss[b] = XMath.Log(total) + max - logits[row + label];
    }

    /// <summary>
    /// The gradient with respect to a hidden layer's pre-activation, from the next layer's:
    /// <c>dz[b, i] = mask[b, i] * [h[b, i] &gt; 0] * sum_j dy[b, j] w[i, j]</c>, where h = relu(z) * mask is the
    /// layer's output (so h &gt; 0 exactly where the unit was active and kept).
    /// </summary>
    public static void DenseBackwardInput(Index2D index, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> h, ArrayView<float> mask, ArrayView<float> dz, int inputs, int outputs)
    {
        int b = index.X, i = index.Y;
        var at = (b * inputs) + i;
        if (h[at] <= 0f)
        {
            dz[at] = 0f;
            return;
        }

        var sum = 0f;
        for (var j = 0; j < outputs; j++)
        {
            sum += dy[(b * outputs) + j] * w[(i * outputs) + j];
        }

        dz[at] = sum * mask[at];
    }

    /// <summary>
    /// A dense layer's parameter gradients over a batch: <c>dw[i, j] = sum_b x[b, i] dy[b, j]</c> for i below
    /// <paramref name="inputs"/>, and <c>dbias[j] = sum_b dy[b, j]</c> for the extra row i = inputs.
    /// </summary>
    public static void DenseBackwardWeights(Index2D index, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, ArrayView<float> dbias, int batch, int inputs, int outputs)
    {
        int i = index.X, j = index.Y;
        var sum = 0f;
        if (i == inputs)
        {
            for (var b = 0; b < batch; b++)
            {
                sum += dy[(b * outputs) + j];
            }

            dbias[j] = sum;
            return;
        }

        for (var b = 0; b < batch; b++)
        {
            sum += x[(b * inputs) + i] * dy[(b * outputs) + j];
        }

        dw[(i * outputs) + j] = sum;
    }

    /// <summary>
    /// SGD with momentum and L2 weight decay: <c>v = momentum v + g + decay w; w = w - rate v</c> (the form PyTorch's
    /// SGD uses, with decay added to the gradient).
    /// </summary>
    public static void MomentumStep(Index1D k, ArrayView<float> w, ArrayView<float> g, ArrayView<float> velocity, float rate, float momentum, float decay)
    {
        var v = (momentum * velocity[k]) + g[k] + (decay * w[k]);
        velocity[k] = v;
        w[k] -= rate * v;
    }

    /// <summary>The class with the largest logit of each row (the first on ties).</summary>
    public static void ArgMax(Index1D b, ArrayView<float> logits, ArrayView<int> predicted, int classes)
    {
        var row = b.X * classes;
        var best = 0;
        for (var c = 1; c < classes; c++)
        {
            if (logits[row + c] > logits[row + best])
            {
                best = c;
            }
        }

        predicted[b] = best;
    }

    /// <summary>
    /// A uniform draw in [0, 1) from a seed and a counter: SplitMix64's finalizer of seed + (counter + 1) * golden gamma
    /// (G. Steele, D. Lea and C. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), top 24 bits.
    /// </summary>
    public static float Uniform(ulong seed, ulong counter)
    {
        var z = seed + ((counter + 1UL) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 40) * (1f / 16777216f);
    }
}
