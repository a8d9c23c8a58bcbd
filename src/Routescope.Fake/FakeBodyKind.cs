namespace Routescope.Fake;

/// <summary>A 200 body that is not the answer (<see cref="FakeHeaders.Body"/>).</summary>
internal enum FakeBodyKind
{
    Html,
    Binary,
    BinaryAsJson,
    TruncatedJson,
}
