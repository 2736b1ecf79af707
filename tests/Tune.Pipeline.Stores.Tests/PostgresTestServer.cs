using System.Globalization;
using Npgsql;

namespace Tune.Pipeline.Stores.Tests;

/// <summary>
/// The PostgreSQL server the tests use: TUNE_TEST_POSTGRES, or 127.0.0.1:5432 as postgres. Each caller gets its own
/// schema. Unreachable, the tests skip with the reason, except on CI (CI=true), where they fail.
/// </summary>
public static class PostgresTestServer
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres";
    private static int s_counter;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("TUNE_TEST_POSTGRES") is { Length: > 0 } value ? value : DefaultConnectionString;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates a fresh schema and returns a connection string whose search path is it.</summary>
    public static async Task<string> CreateSchemaAsync(CancellationToken cancellationToken)
    {
        var schema = string.Create(CultureInfo.InvariantCulture, $"t_{Environment.ProcessId}_{Interlocked.Increment(ref s_counter)}_{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when ((exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException) && !OnCi)
        {
            Assert.Skip($"PostgreSQL is not reachable ({exception.Message}); set TUNE_TEST_POSTGRES to a server's connection string to run these tests.");
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>Drops the schema that <see cref="CreateSchemaAsync"/> created, with everything in it.</summary>
    public static async Task DropSchemaAsync(string connectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
