namespace Routescope.Fake;

/// <summary>What a request asks the fake for, read off its method and path.</summary>
internal enum FakeOperation
{
    UnknownPath,
    UnknownOperation,
    ListModels,
    GetModel,
    GenerateContent,
    StreamGenerateContent,
    CountTokens,
}
