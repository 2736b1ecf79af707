using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Tune.Pipeline.Publishing.Azure.Tests;

/// <summary>
/// The Azurite blob service the tests run against: <c>TUNE_TEST_AZURITE</c> (a connection string; <c>.ci/run</c>
/// starts Azurite and sets it), or Azurite's default endpoint on 127.0.0.1:10000. Unreachable, the tests are skipped
/// on a laptop and fail on CI (<c>CI=true</c>), so a broken CI setup can never pass as green.
/// </summary>
internal static class Azurite
{
    // Azurite's well-known development account: public, documented, and accepted by nothing but the emulator.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("TUNE_TEST_AZURITE") is { Length: > 0 } configured
            ? configured
            : $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:10000/{AccountName};";

    private static readonly Lazy<string?> Unreachable = new(Probe);

    /// <summary>Skips the calling test when Azurite is unreachable off CI; fails it on CI.</summary>
    public static string Require()
    {
        if (Unreachable.Value is { } why)
        {
            var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            if (onCi)
            {
                Assert.Fail($"Azurite is unreachable on CI: {why}. .ci/run starts it and sets TUNE_TEST_AZURITE; see its output.");
            }

            Assert.Skip($"Azurite is unreachable ({why}); start it (npm install -g azurite; azurite-blob --blobHost 127.0.0.1 --skipApiVersionCheck --inMemoryPersistence) or set TUNE_TEST_AZURITE.");
        }

        return ConnectionString;
    }

    public static BlobContainerClient NewContainer(out string name)
    {
        name = "t" + Guid.NewGuid().ToString("N");
        return new BlobServiceClient(Require()).GetBlobContainerClient(name);
    }

    private static string? Probe()
    {
        Uri endpoint;
        try
        {
            endpoint = new BlobServiceClient(ConnectionString).Uri;
        }
        catch (FormatException)
        {
            return "TUNE_TEST_AZURITE is not a valid connection string";
        }

        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(endpoint.Host, endpoint.Port).Wait(TimeSpan.FromSeconds(2)))
            {
                return $"no answer from {endpoint.Host}:{endpoint.Port}";
            }

            return null;
        }
        catch (AggregateException e) when (e.InnerException is SocketException socket)
        {
            return $"{endpoint.Host}:{endpoint.Port}: {socket.SocketErrorCode}";
        }
    }
}
