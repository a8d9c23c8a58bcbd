using System.Data.Common;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>Timestamps are <c>timestamptz</c>; Npgsql reads them back as UTC <see cref="DateTime"/>s.</summary>
internal static class PostgresTime
{
    /// <summary>A timestamp column of the current row.</summary>
    public static DateTimeOffset Read(DbDataReader reader, int ordinal) => new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
