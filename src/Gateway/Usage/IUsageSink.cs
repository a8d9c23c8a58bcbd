namespace Routescope.Gateway.Usage;

/// <summary>Takes usage records from requests without ever making them wait for the store.</summary>
internal interface IUsageSink
{
    void Submit(UsageRecord record);
}
