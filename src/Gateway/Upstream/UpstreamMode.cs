namespace Routescope.Gateway.Upstream;

/// <summary>
/// Whether the gateway may serve, and against which upstream, decided once from <c>GATEWAY_DEMO</c>, the upstream key
/// and the environment. Demo mode is never a silent fallback outside <c>Development</c>: there, a missing upstream key
/// without <c>GATEWAY_DEMO=true</c> refuses the start (the production image and compose once served fake images with
/// 200 and priced them like real traffic when a secret was empty).
/// </summary>
internal sealed record UpstreamMode
{
    public const string DemoVariable = "GATEWAY_DEMO";

    /// <summary>The exit code of a refused start: 78, sysexits' EX_CONFIG (configuration error).</summary>
    public const int RefusedExitCode = 78;

    /// <summary>Forward to the built-in fake upstream.</summary>
    public required bool Demo { get; init; }

    /// <summary>Why demo mode is on (for the startup warning); null outside demo mode.</summary>
    public string? Reason { get; init; }

    /// <summary>The one line a refused start prints; null when the gateway may serve.</summary>
    public string? Refusal { get; init; }

    /// <param name="demoSetting">The raw value of <c>GATEWAY_DEMO</c> (unset: null).</param>
    /// <param name="hasKey">An upstream key is configured (an empty or blank value is none).</param>
    /// <param name="hasBaseUrl">An upstream address is configured.</param>
    /// <param name="development">The host runs in the <c>Development</c> environment.</param>
    public static UpstreamMode Decide(string? demoSetting, bool hasKey, bool hasBaseUrl, bool development)
    {
        if (!TryRead(demoSetting, out var asked))
        {
            return new UpstreamMode
            {
                Demo = false,
                Refusal = $"Refusing to start: GATEWAY_DEMO must be true or false (it is '{demoSetting}'); without it, ROUTESCOPE_API_KEY must be set.",
            };
        }

        if (asked == true)
        {
            // Asked for explicitly: the key (if any) is never sent anywhere, so a demo can never spend real money.
            return new UpstreamMode
            {
                Demo = true,
                Reason = hasKey || hasBaseUrl
                    ? "GATEWAY_DEMO=true; ROUTESCOPE_API_KEY and ROUTESCOPE_BASE_URL are ignored"
                    : "GATEWAY_DEMO=true",
            };
        }

        if (asked is null && development && !hasKey && !hasBaseUrl)
        {
            // `dotnet run` from the repository (launchSettings.json sets Development): the README's first command works offline.
            return new UpstreamMode { Demo = true, Reason = "Development environment without ROUTESCOPE_API_KEY" };
        }

        if (!hasKey && !development)
        {
            return new UpstreamMode
            {
                Demo = false,
                Refusal = "Refusing to start: ROUTESCOPE_API_KEY is not set. Set ROUTESCOPE_API_KEY to the upstream key, "
                    + "or GATEWAY_DEMO=true to serve the built-in fake upstream (fake answers, usage on channel 'demo').",
            };
        }

        return new UpstreamMode { Demo = false };
    }

    private static bool TryRead(string? setting, out bool? value)
    {
        value = null;
        var text = setting?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text == "1" || text == "0")
        {
            value = text == "1";
            return true;
        }

        if (bool.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
