using System.Numerics;
using System.Runtime.InteropServices;

namespace Tune.Pipeline.Samplers;

/// <summary>Small dense linear algebra on row-major arrays, enough for a Gaussian process of a few hundred points.</summary>
internal static class DenseMath
{
    /// <summary>The dot product of two equally long spans, vectorised.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count * 2)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..a.Length]);
            var acc = Vector<double>.Zero;
            for (var k = 0; k < va.Length; k++)
            {
                acc += va[k] * vb[k];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Replaces the lower triangle of the symmetric positive-definite n x n matrix <paramref name="a"/> with its
    /// Cholesky factor L (A = L L^T); the strict upper triangle is zeroed.
    /// </summary>
    /// <returns><see langword="false"/> when the matrix is not numerically positive definite.</returns>
    public static bool Cholesky(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.AsSpan(j * n, j);
            var diagonal = a[(j * n) + j] - Dot(rowJ, rowJ);
            if (!(diagonal > 0.0))
            {
                return false;
            }

            var ljj = Math.Sqrt(diagonal);
            a[(j * n) + j] = ljj;
            for (var i = j + 1; i < n; i++)
            {
                a[(i * n) + j] = (a[(i * n) + j] - Dot(a.AsSpan(i * n, j), rowJ)) / ljj;
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                a[(i * n) + j] = 0.0;
            }
        }

        return true;
    }

    /// <summary>Solves L x = b in place for lower-triangular L.</summary>
    public static void ForwardSolve(double[] l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            b[i] = (b[i] - Dot(l.AsSpan(i * n, i), b[..i])) / l[(i * n) + i];
        }
    }

    /// <summary>Solves L^T x = b in place for lower-triangular L.</summary>
    public static void BackSolve(double[] l, int n, Span<double> b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * b[k];
            }

            b[i] = sum / l[(i * n) + i];
        }
    }

    /// <summary>The inverse of a lower-triangular matrix (lower triangular again).</summary>
    public static double[] InvertLower(double[] l, int n)
    {
        var inverse = new double[n * n];
        var column = new double[n];
        for (var j = 0; j < n; j++)
        {
            Array.Clear(column);
            column[j] = 1.0;
            for (var i = j; i < n; i++)
            {
                column[i] = (column[i] - Dot(l.AsSpan((i * n) + j, i - j), column.AsSpan(j, i - j))) / l[(i * n) + i];
                inverse[(i * n) + j] = column[i];
            }
        }

        return inverse;
    }

    /// <summary>K^-1 = L^-T L^-1 from the inverse of the Cholesky factor, as a full symmetric matrix.</summary>
    public static double[] InverseFromLowerInverse(double[] lInverse, int n)
    {
        // Column j of L^-1 is needed as a contiguous row, so work on the transpose (upper triangular).
        var t = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                t[(j * n) + i] = lInverse[(i * n) + j];
            }
        }

        var result = new double[n * n];
        for (var a = 0; a < n; a++)
        {
            for (var b = a; b < n; b++)
            {
                // (L^-T L^-1)_ab = sum_k Linv[k,a] Linv[k,b], k >= max(a, b) = b.
                var value = Dot(t.AsSpan((a * n) + b, n - b), t.AsSpan((b * n) + b, n - b));
                result[(a * n) + b] = value;
                result[(b * n) + a] = value;
            }
        }

        return result;
    }
}
