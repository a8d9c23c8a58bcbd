using System.CommandLine;
using System.Globalization;

using FluentValidation;

using Routescope.Gateway.Admin;
using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Cli;

/// <summary>
/// The policy options of <c>keys set</c> and <c>groups set</c>, one per field of <c>PATCH /admin/keys/{id}</c>: an
/// option given changes its field, <c>none</c> clears it, an option left out leaves it. Values are checked by the rules
/// the admin API applies, with messages naming the option.
/// </summary>
internal sealed class PolicyOptions
{
    private const string None = "none";

    private readonly Field[] _fields =
    [
        new(new Option<string?>("--allowed-models") { Description = "Comma-separated model names or * patterns, e.g. 'gemini-2.5-*', or none." },
            "allowedModels", KeyPolicyFields.AllowedModels, "model names or patterns",
            (p, v) => p with { AllowedModels = v.Split(',', StringSplitOptions.TrimEntries) }),
        new(new Option<string?>("--rpm") { Description = "Requests per minute (a whole number of at least 1), or none." },
            "rpm", KeyPolicyFields.Rpm, "a whole number",
            (p, v) => Whole(v) is { } n ? p with { Rpm = n } : null),
        new(new Option<string?>("--concurrency") { Description = "Requests in flight at once (a whole number of at least 1), or none." },
            "concurrency", KeyPolicyFields.Concurrency, "a whole number",
            (p, v) => Whole(v) is { } n ? p with { Concurrency = n } : null),
        new(new Option<string?>("--budget-usd") { Description = "Monthly budget in USD (calendar month, UTC; hard stop), or none." },
            "monthlyBudgetUsd", KeyPolicyFields.MonthlyBudgetUsd, "a number",
            (p, v) => Number(v) is { } n ? p with { MonthlyBudgetUsd = n } : null),
        new(new Option<string?>("--soft-budget-ratio") { Description = "Share of the budget (0-1) at which a notice goes out (0.8 when unset), or none." },
            "softBudgetRatio", KeyPolicyFields.SoftBudgetRatio, "a number",
            (p, v) => Number(v) is { } n ? p with { SoftBudgetRatio = n } : null),
        new(new Option<string?>("--expires-at") { Description = "Expiry, " + IsoTime.Rule + ", or none." },
            "expiresAt", KeyPolicyFields.ExpiresAt, IsoTime.Rule,
            (p, v) => IsoTime.TryParse(v, out var t) ? p with { ExpiresAt = t } : null),
        new(new Option<string?>("--disabled") { Description = "true refuses every request (403), false allows them again; or none." },
            "disabled", KeyPolicyFields.Disabled, "true or false",
            (p, v) => bool.TryParse(v, out var b) ? p with { Disabled = b } : null),
    ];

    public void AddTo(Command command)
    {
        foreach (var field in _fields)
        {
            command.Options.Add(field.Option);
        }
    }

    /// <summary>The patch the options describe, or (patch null) the problems, one line each.</summary>
    public async Task<(KeyPolicyPatch? Patch, IReadOnlyList<string> Problems)> ReadAsync(ParseResult parse, IValidator<KeyPolicy> validator, CancellationToken cancellationToken)
    {
        var patch = KeyPolicyPatch.Empty;
        var problems = new List<string>();
        foreach (var field in _fields)
        {
            if (parse.GetValue(field.Option) is not { } text)
            {
                continue;
            }

            if (string.Equals(text, None, StringComparison.OrdinalIgnoreCase))
            {
                patch = patch.With(field.Flag, values => Cleared(values, field.Flag));
                continue;
            }

            var parsed = field.Parse(patch.Values, text);
            if (parsed is null)
            {
                problems.Add($"{field.Option.Name}: expected {field.Expected} (or none), not '{text}'");
                continue;
            }

            patch = patch.With(field.Flag, _ => parsed);
        }

        if (problems.Count == 0 && patch.Fields == KeyPolicyFields.None)
        {
            problems.Add("Nothing to change: give at least one of " + string.Join(", ", _fields.Select(f => f.Option.Name)) + ".");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var validation = await validator.ValidateAsync(patch.Values, cancellationToken);
        return validation.IsValid ? (patch, []) : (null, validation.Errors.Select(error => OptionSpelling(error.ErrorMessage)).ToArray());
    }

    /// <summary>A validator message starts with the JSON field's name; here the option's name stands in its place.</summary>
    private string OptionSpelling(string message)
    {
        foreach (var field in _fields)
        {
            var name = field.JsonName;
            if (message.StartsWith(name, StringComparison.Ordinal) && message.Length > name.Length && message[name.Length] is ':' or '[')
            {
                return field.Option.Name + message[name.Length..];
            }
        }

        return message;
    }

    /// <summary><paramref name="values"/> with <paramref name="field"/> unset.</summary>
    private static KeyPolicy Cleared(KeyPolicy values, KeyPolicyFields field) =>
        new KeyPolicyPatch { Values = KeyPolicy.None, Fields = field }.ApplyTo(values);

    private static int? Whole(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>One option: the field it sets, its JSON name (as validator messages spell it), and how its text reads.</summary>
    private sealed record Field(Option<string?> Option, string JsonName, KeyPolicyFields Flag, string Expected, Func<KeyPolicy, string, KeyPolicy?> Parse);
}
