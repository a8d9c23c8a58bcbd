namespace Routescope.Fake;

/// <summary>The answer the fake decided on for one request, before writing it: the ledger bills from this.</summary>
internal sealed record FakeAnswer
{
    public required FakeRoute Route { get; init; }
    public required int StatusCode { get; init; }

    /// <summary>The error message of a non-2xx answer.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>What was generated: the answer of a generate request, or the usage an error answer shows (steered).</summary>
    public FakeGeneration? Generation { get; init; }

    public FakeSteering Steering { get; init; } = FakeSteering.Default;
    public ContentCoding Coding { get; init; }
    public EventFramingKind Framing { get; init; }

    /// <summary>The prompt tokens of the request, which countTokens reports.</summary>
    public long PromptTokens { get; init; }

    public bool IsError => StatusCode >= 400;

    /// <summary>Only a 2xx generate answer bills; an error bills nothing even when its body shows usage.</summary>
    public FakeBill Bill => !IsError && Route.IsGeneration && Generation is { } generation ? generation.Bill : FakeBill.None;

    public string? FinishReason => !IsError ? Generation?.FinishReason : null;
}
