namespace Routescope.Gateway.Usage;

/// <summary>The flags a record can carry (<c>flags</c>, comma-separated, in this order).</summary>
internal static class UsageFlags
{
    /// <summary>Images came back without IMAGE tokens in the usage: their tokens are the catalog's per image.</summary>
    public const string ImageTokensFromCatalog = "image_tokens_from_catalog";

    /// <summary>prompt + candidates + thoughts + tool-use prompt tokens differ from the reported total.</summary>
    public const string TotalMismatch = "total_mismatch";

    /// <summary>A token count was not a whole non-negative number; that count was left out rather than guessed.</summary>
    public const string InvalidCount = "invalid_count";

    /// <summary>A usage block began but the answer ended inside it; earlier blocks were used.</summary>
    public const string TornUsage = "torn_usage";

    /// <summary>The answer was a safety refusal (a blocking finish reason, or a blocked prompt): spend without an image.</summary>
    public const string Refusal = "refusal";

    /// <summary>The upstream answered an error whose body carried usage: not billed.</summary>
    public const string ErrorUsageIgnored = "error_usage_ignored";

    /// <summary>
    /// Recorded before records said what their cost rests on (schema version 4): metered by the older rules, under which
    /// compressed answers and some image tokens were missed. Such a record's basis reads <c>measured</c>.
    /// </summary>
    public const string Legacy = "legacy";
}
