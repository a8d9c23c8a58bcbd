using Microsoft.Data.Sqlite;

using Npgsql;

using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Tests.Errors;

/// <summary>Which database failures are an outage (a retryable 503) and which the gateway's own bug (a 500 in the log).</summary>
public sealed class StoreOutageTests
{
    [Theory]
    [InlineData("57P01")]    // admin shutdown: the server is going away
    [InlineData("08006")]    // connection failure
    [InlineData("53300")]    // too many connections
    [InlineData("40001")]    // serialization failure
    public void A_server_that_went_away_or_is_overloaded_is_an_outage(string sqlState) =>
        Assert.True(StoreOutage.Is(new PostgresException("gone", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("42P01")]    // undefined table: a schema the gateway does not expect
    [InlineData("42703")]    // undefined column
    [InlineData("23505")]    // unique violation
    public void A_statement_the_database_refused_is_no_outage(string sqlState) =>
        Assert.False(StoreOutage.Is(new PostgresException("refused", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void Failures_without_a_state_count_as_outages_inner_ones_too()
    {
        Assert.True(StoreOutage.Is(new NpgsqlException("connection refused")));
        Assert.True(StoreOutage.Is(new SqliteException("database is locked", 5)));
        Assert.True(StoreOutage.Is(new InvalidOperationException("wrapped", new NpgsqlException("timeout"))));
        Assert.False(StoreOutage.Is(new InvalidOperationException("a bug")));
    }
}
