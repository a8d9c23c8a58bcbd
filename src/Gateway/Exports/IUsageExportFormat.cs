namespace Routescope.Gateway.Exports;

/// <summary>One export format: how it is served and how it writes an export to a stream, row by row.</summary>
internal interface IUsageExportFormat
{
    UsageFormat Format { get; }

    string ContentType { get; }

    /// <summary>The file name's extension, without the dot.</summary>
    string Extension { get; }

    Task WriteAsync(Stream output, ExportRequest request, CancellationToken cancellationToken);
}
