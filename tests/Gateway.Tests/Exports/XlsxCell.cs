namespace Routescope.Gateway.Tests.Exports;

/// <summary>One cell as the workbook's XML has it: its type (<c>n</c>, <c>str</c>, …), number format code and value text.</summary>
public sealed record XlsxCell(int Column, string Type, string Format, string? Value);
