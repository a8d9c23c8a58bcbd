namespace Routescope.Gateway.Policy.Budgets;

/// <summary>The <c>Budgets</c> section: how long a reservation holds, and where notices go.</summary>
internal sealed class BudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>
    /// How long a request's reservation counts against its budget when no usage record settles it (the gateway crashed
    /// or lost the record). Longer than the route timeout (10 min) plus the drain (2 min), so a request still running
    /// never loses its claim.
    /// </summary>
    public TimeSpan ReservationLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where soft and hard notices are POSTed as JSON; none when empty.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long one webhook POST may take; notices go out in the background, never holding a request.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
