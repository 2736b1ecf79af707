using System.Runtime.CompilerServices;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Visits every configuration of a discrete search space once: the n-th sample is grid point n (last parameter
/// varying fastest, as <see cref="SearchSpace.EnumerateGrid"/>), or point π(n) of a permutation π keyed by the sweep's
/// seed; then <see langword="null"/>.
/// </summary>
/// <remarks>
/// Stateless: the point is decoded from <see cref="SamplerContext.SampleIndex"/> as a mixed-radix number. The shuffle
/// is a four-round balanced Feistel network over the smallest even number of bits that covers the grid, with
/// cycle-walking to stay inside it (J. Black and P. Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002,
/// section 3), so it is a bijection computed in O(1) memory whatever the grid's size.
/// </remarks>
internal sealed class GridSampler(bool shuffle) : ISampler
{
    private static readonly ConditionalWeakTable<SearchSpace, object[][]> Axes = [];

    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var space = context.Space;
        var axes = Axes.GetValue(space, static s =>
        {
            // EnumerateGrid checks eagerly and names any continuous parameter.
            _ = s.EnumerateGrid();
            return [.. s.Parameters.Select(p => p.EnumerateValues().ToArray())];
        });
        var size = space.GridSize ?? throw new InvalidOperationException("The grid has more points than a sweep can number.");
        long index = context.SampleIndex;
        if (index >= size)
        {
            return null;
        }

        if (shuffle)
        {
            index = Permute(index, size, context.SweepSeed);
        }

        var values = new object[axes.Length];
        for (var i = axes.Length - 1; i >= 0; i--)
        {
            var radix = axes[i].Length;
            values[i] = axes[i][(int)(index % radix)];
            index /= radix;
        }

        return new Configuration(space, values);
    }

    internal static long Permute(long index, long size, long seed)
    {
        var bits = 2;
        while ((1L << bits) < size)
        {
            bits += 2;
        }

        var half = bits / 2;
        var mask = (1UL << half) - 1;
        var value = (ulong)index;
        do
        {
            var left = value >> half;
            var right = value & mask;
            for (var round = 0UL; round < 4; round++)
            {
                var next = left ^ (Mix(unchecked((ulong)seed + (round * 0x9E3779B97F4A7C15UL)) ^ right) & mask);
                left = right;
                right = next;
            }

            value = (left << half) | right;
        }
        while (value >= (ulong)size);

        return (long)value;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
