using System.Security.Cryptography;
using System.Text;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Computes a fingerprint of the data a model was trained on, for the manifest: a change of a single byte, or of a
/// file's name, gives another fingerprint.
/// </summary>
public static class DataFingerprint
{
    /// <summary>Hashes files: the SHA-256 of each file's name and the SHA-256 of its bytes, in the order given.</summary>
    /// <param name="paths">The data files.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns><c>sha256:</c> followed by 64 lower-case hex digits.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static async Task<string> OfFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var combined = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            // The name (not the full path) counts, so the same data checked out elsewhere has the same fingerprint.
            combined.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n"));
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                combined.AppendData(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }
        }

        return "sha256:" + Convert.ToHexStringLower(combined.GetHashAndReset());
    }
}
