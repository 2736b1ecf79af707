using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tune.Pipeline.Cli.Sweeps;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Dashboard;

/// <summary>
/// The read-only web page of <c>tune dashboard</c>: the store's sweeps, and for one sweep the page <c>tune report</c>
/// writes, which polls the server and redraws itself, without a reload, when the sweep's trials or steps change.
/// </summary>
/// <remarks>
/// Every request opens the store afresh and only reads it, so agents on other machines may write to a PostgreSQL store
/// meanwhile. Polling (every <see cref="PollSeconds"/> s) rather than server-sent events: a store has no change feed, so
/// the server would poll it anyway, and a page that polls needs no connection kept open through a proxy.
/// </remarks>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>How often an open sweep page asks whether the sweep changed, in seconds.</summary>
    public const int PollSeconds = 2;

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the address the server listens on, such as <c>http://127.0.0.1:5180/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts the server.</summary>
    /// <param name="store">The <c>--store</c> value.</param>
    /// <param name="address">The address to bind.</param>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="token">The token every request must carry (<c>?token=</c>); required off the loopback address.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="UsageException">The address is not a loopback one and no token is given, or the port is taken.</exception>
    public static async Task<DashboardServer> StartAsync(string store, IPAddress address, int port, string? token, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(address) && string.IsNullOrEmpty(token))
        {
            throw new UsageException($"The dashboard on {address} would be open to the network: pass --token with a secret that every request must carry, or leave --address at 127.0.0.1.");
        }

        // A mistyped SQLite path fails here, at once, rather than on the first page.
        await StoreAccess.Open(store).DisposeAsync().ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        var app = builder.Build();
        var query = string.IsNullOrEmpty(token) ? string.Empty : "?token=" + Uri.EscapeDataString(token);
        if (!string.IsNullOrEmpty(token))
        {
            app.Use(async (context, next) =>
            {
                var given = context.Request.Query["token"].ToString();
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token)))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.Response.WriteAsync("This dashboard needs ?token=.", context.RequestAborted).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
        }

        // Browsers ask for an icon on their own: an empty answer keeps a 404 out of their console.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        Task<string> List(CancellationToken ct) => ListAsync(store, query, ct);
        app.MapGet("/", (HttpContext context) => RespondAsync(context, "text/html", List));
        app.MapGet("/sweeps/{name}", (string name, HttpContext context) => RespondAsync(context, "text/html", async ct =>
        {
            var report = await DescribeAsync(store, name, ct).ConfigureAwait(false);
            return HtmlReport.Render(report, TimeProvider.System.GetUtcNow()).Replace("</head>", Live(Version(report)) + "</head>", StringComparison.Ordinal);
        }));

        // Polled by every open page: it draws the report once, for its fingerprint alone.
        app.MapGet("/sweeps/{name}/version", (string name, HttpContext context) => RespondAsync(context, "text/plain", async ct =>
            Version(await DescribeAsync(store, name, ct).ConfigureAwait(false))));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UsageException($"Cannot listen on {address}:{port}: {exception.Message} Pass another --port.");
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<SweepReport> DescribeAsync(string storeText, string name, CancellationToken cancellationToken)
    {
        SweepReport? report = null;
        await StoreAccess.ReadSweepAsync(storeText, name, async (store, sweep, trials) =>
        {
            var steps = await store.GetStoredStepsAsync(sweep.Name, cancellationToken).ConfigureAwait(false);
            report = ReportCommand.Describe(store, sweep, trials, steps);
            return ExperimentHost.Success;
        }, cancellationToken).ConfigureAwait(false);
        return report!;
    }

    // A fingerprint of what the page shows: the same report drawn at a fixed time, so that only the sweep changes it.
    private static string Version(SweepReport report) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(HtmlReport.Render(report, DateTimeOffset.UnixEpoch))))[..16];

    private static async Task<string> ListAsync(string storeText, string query, CancellationToken cancellationToken)
    {
        var store = StoreAccess.Open(storeText);
        await using (store.ConfigureAwait(false))
        {
            var sweeps = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
            var html = new StringBuilder($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sweeps in {WebUtility.HtmlEncode(store.DisplayName)}</title>\n<style>body {{ font-family: system-ui, sans-serif; margin: 2rem; }} td, th {{ padding: 0.25rem 0.75rem; text-align: left; border-bottom: 1px solid #d0d7de; }}</style>\n</head>\n<body>\n<h1>Sweeps in {WebUtility.HtmlEncode(store.DisplayName)}</h1>\n");
            html.Append("<table>\n<tr><th>sweep</th><th>state</th><th>goal</th><th>trials</th><th>best</th><th>updated (UTC)</th></tr>\n");
            foreach (var sweep in sweeps)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"/sweeps/{Uri.EscapeDataString(sweep.Name)}{query}\">{WebUtility.HtmlEncode(sweep.Name)}</a></td><td>{WebUtility.HtmlEncode(StoredTrials.State(sweep))}</td><td>{sweep.Goal.ToString().ToLowerInvariant()}</td><td class=\"number\">{sweep.TrialCounts.Values.Sum()}</td><td>{(sweep.BestValue is { } best ? TrialFormat.Value(best) : "-")}</td><td>{StoredTrials.Clock(sweep.UpdatedAt)}</td></tr>\n");
            }

            html.Append(sweeps.Count == 0 ? "</table>\n<p>No sweep yet.</p>\n</body>\n</html>\n" : "</table>\n</body>\n</html>\n");
            return html.ToString();
        }
    }

    // A failure answers with its message, not a stack trace: 404 for an unknown sweep, 503 for a store that cannot be reached.
    private static async Task RespondAsync(HttpContext context, string contentType, Func<CancellationToken, Task<string>> body)
    {
        string text;
        try
        {
            text = await body(context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = contentType + "; charset=utf-8";
        }
        catch (UsageException exception)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            text = exception.Message;
        }
        catch (StoreUnavailableException exception)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            text = exception.Message;
        }

        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    // Asks for the sweep's fingerprint every PollSeconds; when it changes, fetches the page and swaps its body in, running
    // the report's script again. It lives in the head, which the swap keeps, so that it runs once.
    private static string Live(string version) => $$"""
        <script>
        (function () {
          'use strict';
          var version = '{{version}}';
          var busy = false;
          setInterval(function () {
            if (busy) { return; }
            busy = true;
            fetch(location.pathname + '/version' + location.search, { cache: 'no-store' })
              .then(function (r) { return r.ok ? r.text() : version; })
              .then(function (v) {
                if (v === version) { return; }
                return fetch(location.pathname + location.search, { cache: 'no-store' }).then(function (r) { return r.text(); }).then(function (html) {
                  var body = document.adoptNode(new DOMParser().parseFromString(html, 'text/html').body);
                  document.body.replaceWith(body);
                  Array.prototype.forEach.call(body.querySelectorAll('script'), function (old) {
                    var script = document.createElement('script');
                    script.textContent = old.textContent;
                    old.replaceWith(script);
                  });
                  version = v;
                });
              })
              .catch(function () { })
              .then(function () { busy = false; });
          }, {{PollSeconds * 1000}});
        }());
        </script>

        """;
}
