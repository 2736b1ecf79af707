using System.Net;
using Tune.Pipeline.Cli.Dashboard;
using Tune.Pipeline.Cli.Tests.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Dashboard;

public sealed class DashboardServerTests(SweptStore store) : IClassFixture<SweptStore>
{
    [Fact]
    public async Task StartAsync_WithToken_RefusesRequestsWithoutIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await DashboardServer.StartAsync(store.Path, IPAddress.Loopback, 0, "s3cret", ct);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var refused = await http.GetAsync("/", ct);
        var listed = await http.GetStringAsync("/?token=s3cret", ct);
        using var unknown = await http.GetAsync("/sweeps/alpah?token=s3cret", ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("<a href=\"/sweeps/alpha?token=s3cret\">alpha</a>", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Did you mean 'alpha'?", await unknown.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_OtherAddressWithoutToken_ExitsTwoWithOneLine()
    {
        var (code, output, error) = await Tune.RunAsync("dashboard", "--store", store.Path, "--address", "0.0.0.0");

        Assert.Equal((2, string.Empty), (code, output));
        Assert.StartsWith("The dashboard on 0.0.0.0 would be open to the network: pass --token", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Dashboard_MissingStore_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"tune-{Guid.NewGuid():N}", "tune.db");

        var (code, _, error) = await Tune.RunAsync("dashboard", "--store", missing, "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }
}
