using System.Data.Common;

namespace Routescope.Gateway.Errors;

/// <summary>
/// Exceptions that mean the store did not answer (either provider's: both throw <see cref="DbException"/>s, for a
/// refused connection, a timeout, an exhausted pool, a locked or missing SQLite file). The client can do nothing about
/// them but come back, so they answer 503 <c>UNAVAILABLE</c> with <c>Retry-After</c>, never 500. A database that
/// answered and refused the statement itself (SQLSTATE class 42, syntax or an unknown table or column; class 23, a
/// constraint) is no outage but the gateway's bug: retrying cannot help, and it must reach the log as an error.
/// </summary>
internal static class StoreOutage
{
    /// <summary>What <c>Retry-After</c> says: a blip is over within seconds, and a longer outage is retried at a calm pace.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public const string Message = "The gateway's store is unavailable right now; try again shortly.";

    public static bool Is(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException database)
            {
                return database.SqlState is not { Length: 5 } state || !(state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal));
            }

            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(Is);
            }
        }

        return false;
    }
}
