using System.Text;

using Microsoft.AspNetCore.Http;

using Routescope.Gateway.Errors;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Errors;

/// <summary>Issue 18, defect 3: an error built from any number of violations is small, and says how many it left out.</summary>
public sealed class ViolationErrorTests
{
    [Fact]
    public async Task Building_the_error_from_a_huge_violation_count_allocates_a_bounded_amount()
    {
        var violations = Enumerable.Range(0, 1_000_000)
            .Select(i => new FieldViolation($"contents[0].parts[{i}].inline_data.mime_type", "required"))
            .ToArray();
        await WriteAsync(violations[..100], omitted: 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (status, body) = await WriteAsync(violations, omitted: 5_000_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for the error");
        Assert.True(body.Length < 8 * 1024, $"a {body.Length}-byte error");
        Assert.Equal(400, status);
        var message = GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT");
        Assert.StartsWith("contents[0].parts[0].inline_data.mime_type: required; contents[0].parts[1].inline_data.mime_type: required; ", message, StringComparison.Ordinal);
        Assert.EndsWith("contents[0].parts[19].inline_data.mime_type: required; and 5999980 more violations", message, StringComparison.Ordinal);
        Assert.Equal(20, GatewayCalls.Violations(body).Count);
    }

    [Fact]
    public async Task Twenty_violations_or_fewer_are_listed_without_a_count()
    {
        var (_, body) = await WriteAsync([new FieldViolation("contents", "must not be empty")], omitted: 0);

        Assert.Equal("contents: must not be empty", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"));
    }

    [Fact]
    public async Task One_more_is_said_in_the_singular()
    {
        var violations = Enumerable.Range(0, 21).Select(i => new FieldViolation($"f{i}", "bad")).ToArray();
        var (_, body) = await WriteAsync(violations, omitted: 0);

        Assert.EndsWith("f19: bad; and 1 more violation", GeminiErrorAssert.IsError(body, 400, "INVALID_ARGUMENT"), StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Body)> WriteAsync(IReadOnlyList<FieldViolation> violations, int omitted)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await GeminiError.WriteViolationsAsync(context, violations, omitted);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }
}
