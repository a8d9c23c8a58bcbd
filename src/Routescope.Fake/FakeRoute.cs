namespace Routescope.Fake;

/// <summary>The operation and model of a request, from <c>/v1beta/models[/{model}[:{operation}]]</c>.</summary>
internal sealed record FakeRoute
{
    private const string ModelsPath = "/v1beta/models";

    public required FakeOperation Operation { get; init; }

    /// <summary>The text after the colon, as the ledger names the operation; empty when there is none.</summary>
    public required string OperationName { get; init; }

    public string Model { get; init; } = string.Empty;

    public bool IsGeneration => Operation is FakeOperation.GenerateContent or FakeOperation.StreamGenerateContent;

    public static FakeRoute Of(ReceivedRequest request)
    {
        var path = request.Path;
        if (!path.StartsWith(ModelsPath, StringComparison.Ordinal))
        {
            return new FakeRoute { Operation = FakeOperation.UnknownPath, OperationName = string.Empty };
        }

        var rest = path[ModelsPath.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? string.Empty : rest[(colon + 1)..];
        var model = request.Model ?? string.Empty;
        var get = HttpMethods.IsGet(request.Method);
        var post = HttpMethods.IsPost(request.Method);
        var operation = name switch
        {
            _ when rest.Length == 0 && get => FakeOperation.ListModels,
            _ when colon < 0 && get && model.Length > 0 => FakeOperation.GetModel,
            "generateContent" when post => FakeOperation.GenerateContent,
            "streamGenerateContent" when post => FakeOperation.StreamGenerateContent,
            "countTokens" when post => FakeOperation.CountTokens,
            _ => FakeOperation.UnknownOperation,
        };
        return new FakeRoute { Operation = operation, OperationName = name, Model = model };
    }
}
