using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Proposes the points of a (scrambled) Sobol sequence, mapped into the search space with
/// <see cref="SearchSpace.FromUnit"/>: the n-th sample is point n.
/// </summary>
/// <remarks>
/// <para>
/// Sobol's construction (I. M. Sobol', "On the distribution of points in a cube and the approximate evaluation of
/// integrals", USSR Comput. Math. Math. Phys. 7(4), 1967): coordinate j of point n is the XOR of the direction numbers
/// v_{j,k} for the set bits k of n. Dimension 1 is the van der Corput sequence (v_k = 2^-k); dimensions 2 to
/// <see cref="TabulatedDimensions"/> use the primitive polynomials and initial values m_k of S. Joe and F. Y. Kuo,
/// "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30(5), 2008 (their
/// table new-joe-kuo-6.21201, rows d = 2..21), extended by the recurrence of their equation (2.2):
/// m_k = 2a_1 m_{k-1} ⊕ 2²a_2 m_{k-2} ⊕ … ⊕ 2^{s-1}a_{s-1} m_{k-s+1} ⊕ 2^s m_{k-s} ⊕ m_{k-s}.
/// </para>
/// <para>
/// Scrambling is Owen's nested uniform scrambling (A. B. Owen, "Randomly permuted (t,m,s)-nets and (t,s)-sequences",
/// 1995; "Scrambling Sobol' and Niederreiter-Xing points", J. Complexity 14, 1998): digit k of a coordinate is flipped by
/// a random bit that depends on the dimension and on the digits above k, drawn here from a hash of the sweep's seed
/// (as in B. Burley, "Practical hash-based Owen scrambling", JCGT 9(4), 2020), then a random offset fills the digits
/// below the 32nd. It keeps every (t,m,s)-net property, so the first 2^m points still put one point in each of the 2^m
/// equal intervals of every axis. Dimensions beyond the table are padded with van der Corput coordinates scrambled
/// independently (Owen 1998, section 3), which keep that one-dimensional stratification.
/// </para>
/// <para>Stateless: point n is computed from n directly, so trials may be proposed in any order.</para>
/// </remarks>
internal sealed class SobolSampler(bool scramble) : ISampler
{
    /// <summary>The number of dimensions with tabulated direction numbers.</summary>
    internal const int TabulatedDimensions = 21;

    private const int Bits = 32;

    // Joe & Kuo (2008), new-joe-kuo-6.21201, rows d = 2..21: degree s, coefficients a, initial m_1..m_s.
    private static readonly (int S, int A, int[] M)[] Table =
    [
        (1, 0, [1]),
        (2, 1, [1, 3]),
        (3, 1, [1, 3, 1]),
        (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]),
        (5, 2, [1, 1, 5, 5, 17]),
        (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]),
        (5, 13, [1, 1, 1, 3, 11]),
        (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]),
        (6, 13, [1, 1, 1, 15, 21, 21]),
        (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]),
        (6, 22, [1, 3, 1, 15, 13, 25]),
        (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]),
        (7, 4, [1, 3, 7, 13, 13, 15, 69]),
    ];

    private static readonly uint[][] Directions = BuildDirections();

    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Span<double> point = context.Space.Count <= 64 ? stackalloc double[context.Space.Count] : new double[context.Space.Count];
        Point((uint)context.SampleIndex, context.SweepSeed, point);
        return context.Space.FromUnit(point);
    }

    /// <summary>Computes point <paramref name="index"/> of the sequence.</summary>
    /// <param name="index">The point's index.</param>
    /// <param name="seed">The scrambling's seed.</param>
    /// <param name="destination">Receives one coordinate in [0, 1) per dimension.</param>
    internal void Point(uint index, long seed, Span<double> destination)
    {
        if (!scramble && destination.Length > TabulatedDimensions)
        {
            throw new ArgumentException($"An unscrambled Sobol sequence supports at most {TabulatedDimensions} dimensions.", nameof(destination));
        }

        for (var dimension = 0; dimension < destination.Length; dimension++)
        {
            var directions = Directions[dimension < TabulatedDimensions ? dimension : 0];
            var x = 0U;
            for (var k = 0; index >> k != 0; k++)
            {
                if (((index >> k) & 1) != 0)
                {
                    x ^= directions[k];
                }
            }

            destination[dimension] = scramble ? OwenScramble(x, unchecked((ulong)seed), (ulong)dimension) : x * (1.0 / 4294967296.0);
        }
    }

    private static double OwenScramble(uint x, ulong seed, ulong dimension)
    {
        var key = Mix(seed ^ Mix(dimension + 0x632BE59BD9B4E019UL));
        var result = 0U;
        for (var digit = 0; digit < Bits; digit++)
        {
            // The flip of digit k depends on the node of the binary tree above it: the depth and the original upper digits.
            var prefix = digit == 0 ? 0UL : x >> (Bits - digit);
            var flip = (uint)(Mix(key ^ ((ulong)digit << 58) ^ (prefix * 0x9E3779B97F4A7C15UL)) >> 63);
            var bit = (x >> (Bits - 1 - digit)) & 1U;
            result |= (bit ^ flip) << (Bits - 1 - digit);
        }

        // The digits below the 32nd are uniform: 20 more random bits keep the value exactly representable and below 1.
        var tail = Mix(key ^ x ^ 0xA0761D6478BD642FUL) >> 44;
        return (result + (tail * (1.0 / 1048576.0))) * (1.0 / 4294967296.0);
    }

    private static uint[][] BuildDirections()
    {
        var directions = new uint[TabulatedDimensions][];
        directions[0] = new uint[Bits];
        for (var k = 0; k < Bits; k++)
        {
            directions[0][k] = 1U << (Bits - 1 - k);
        }

        for (var d = 1; d < TabulatedDimensions; d++)
        {
            var (s, a, m) = Table[d - 1];
            var v = new uint[Bits];
            for (var k = 0; k < Bits; k++)
            {
                if (k < s)
                {
                    v[k] = (uint)m[k] << (Bits - 1 - k);
                    continue;
                }

                var value = v[k - s] ^ (v[k - s] >> s);
                for (var j = 1; j < s; j++)
                {
                    if (((a >> (s - 1 - j)) & 1) != 0)
                    {
                        value ^= v[k - j];
                    }
                }

                v[k] = value;
            }

            directions[d] = v;
        }

        return directions;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
