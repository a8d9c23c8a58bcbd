using System.Net;
using System.Net.Sockets;

using Npgsql;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the store tests: the one <c>.ci/run</c> started (<c>GATEWAY_TEST_POSTGRES</c>), or else a
/// throwaway cluster this test run starts with the same script. Each fixture gets a database of its own.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "gw_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Server.Value))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server.Value);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            return configured;
        }

        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests-pg-" + Guid.NewGuid().ToString("N"));
        var script = Path.Combine(RepositoryRoot.Path, ".ci", "postgres");
        var (exit, output) = ExternalProcess.RunAsync("bash", [script, "start", directory, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
            RepositoryRoot.Path, null, TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        if (exit != 0)
        {
            throw new InvalidOperationException(
                "The PostgreSQL store tests need a server: install Debian's postgresql (apt-get install postgresql) or set GATEWAY_TEST_POSTGRES. " + output);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            ExternalProcess.RunAsync("bash", [script, "stop", directory], RepositoryRoot.Path, null, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        return output.Trim().Split('\n')[^1];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
