using System.Text.Json;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Admin;

/// <summary>
/// Reads a policy body (<c>PATCH /admin/keys/{id}</c>, <c>PUT /admin/groups/{name}</c>, and with its text fields
/// <c>POST /admin/keys</c>) by hand: a serializer cannot tell <c>"rpm": null</c> (clear it) from no <c>rpm</c> (leave
/// it), and would let a field given twice pass with its last value. Types are checked here, values by
/// <see cref="KeyPolicyValidator"/>; every problem names its field.
/// </summary>
internal static class KeyPolicyPatchReader
{
    public const string FieldList = "allowedModels, rpm, concurrency, monthlyBudgetUsd, softBudgetRatio, expiresAt, disabled";

    /// <summary>Longest unknown field name echoed back in full.</summary>
    private const int MaxEchoedName = 64;

    // A policy nests one array in one object: anything deeper is not a policy.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The patch the body describes, or (patch null) what is wrong with it.</summary>
    public static (KeyPolicyPatch? Patch, string? Problem) Read(ReadOnlySpan<byte> json) => Read(json, [], null);

    /// <summary>
    /// The patch a body of policy fields and the <paramref name="textFields"/> describes, each text field given (a string
    /// or null) put in <paramref name="texts"/>; or (patch null) what is wrong with the body.
    /// </summary>
    public static (KeyPolicyPatch? Patch, string? Problem) Read(ReadOnlySpan<byte> json, ReadOnlySpan<string> textFields, Dictionary<string, string?>? texts)
    {
        var fields = textFields.IsEmpty ? FieldList : "\"" + string.Join("\", \"", textFields.ToArray()) + "\", " + FieldList;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, "$: the body must be a JSON object with any of " + fields);
            }

            var patch = KeyPolicyPatch.Empty;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (texts is not null && textFields.Contains(name))
                {
                    reader.Read();
                    if (texts.ContainsKey(name))
                    {
                        return (null, name + ": given twice");
                    }

                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    {
                        return (null, name + ": must be a string");
                    }

                    texts[name] = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                    continue;
                }

                var field = FieldOf(name);
                if (field == KeyPolicyFields.None)
                {
                    return (null, $"{Echo(name)}: unknown field (the body has {fields})");
                }

                if (patch.Changes(field))
                {
                    return (null, name + ": given twice");
                }

                reader.Read();
                var (next, problem) = ReadValue(ref reader, field, patch);
                if (next is null)
                {
                    return (null, name + ": " + problem);
                }

                patch = next;
            }

            // Past the object's end the reader throws on anything but whitespace (one JSON value per body).
            reader.Read();
            return (patch, null);
        }
        catch (JsonException exception)
        {
            return (null, $"$: the body is not valid JSON (at byte {exception.BytePositionInLine ?? 0} of line {(exception.LineNumber ?? 0) + 1})");
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot turn into text: a lone surrogate escape, bytes that are not UTF-8.
            return (null, "$: the body is not valid UTF-8 JSON (a string holds a lone surrogate or invalid bytes)");
        }
    }

    private static KeyPolicyFields FieldOf(string name) => name switch
    {
        "allowedModels" => KeyPolicyFields.AllowedModels,
        "rpm" => KeyPolicyFields.Rpm,
        "concurrency" => KeyPolicyFields.Concurrency,
        "monthlyBudgetUsd" => KeyPolicyFields.MonthlyBudgetUsd,
        "softBudgetRatio" => KeyPolicyFields.SoftBudgetRatio,
        "expiresAt" => KeyPolicyFields.ExpiresAt,
        "disabled" => KeyPolicyFields.Disabled,
        _ => KeyPolicyFields.None,
    };

    private static (KeyPolicyPatch? Patch, string? Problem) ReadValue(ref Utf8JsonReader reader, KeyPolicyFields field, KeyPolicyPatch patch)
    {
        var isNull = reader.TokenType == JsonTokenType.Null;
        switch (field)
        {
            case KeyPolicyFields.AllowedModels:
                if (isNull)
                {
                    return (patch.With(field, p => p with { AllowedModels = null }), null);
                }

                var models = ReadStrings(ref reader);
                return models is null
                    ? (null, "must be a list of model names or patterns (or null)")
                    : (patch.With(field, p => p with { AllowedModels = models }), null);

            case KeyPolicyFields.Rpm or KeyPolicyFields.Concurrency:
                int? count = null;
                if (!isNull)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var whole))
                    {
                        return (null, "must be a whole number (or null)");
                    }

                    count = whole;
                }

                return (field == KeyPolicyFields.Rpm ? patch.With(field, p => p with { Rpm = count }) : patch.With(field, p => p with { Concurrency = count }), null);

            case KeyPolicyFields.MonthlyBudgetUsd or KeyPolicyFields.SoftBudgetRatio:
                decimal? amount = null;
                if (!isNull)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var number))
                    {
                        return (null, "must be a number (or null)");
                    }

                    amount = number;
                }

                return (field == KeyPolicyFields.MonthlyBudgetUsd
                    ? patch.With(field, p => p with { MonthlyBudgetUsd = amount })
                    : patch.With(field, p => p with { SoftBudgetRatio = amount }), null);

            case KeyPolicyFields.ExpiresAt:
                DateTimeOffset? expires = null;
                if (!isNull)
                {
                    if (reader.TokenType != JsonTokenType.String || !IsoTime.TryParse(reader.GetString(), out var time))
                    {
                        return (null, "must be " + IsoTime.Rule + " (or null)");
                    }

                    expires = time;
                }

                return (patch.With(field, p => p with { ExpiresAt = expires }), null);

            default:
                bool? disabled = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                return disabled is null && !isNull
                    ? (null, "must be true or false (or null)")
                    : (patch.With(field, p => p with { Disabled = disabled }), null);
        }
    }

    /// <summary>An array of strings, or null when the value is anything else.</summary>
    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var strings = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            strings.Add(reader.GetString()!);
        }

        return strings;
    }

    private static string Echo(string name) => name.Length <= MaxEchoedName ? name : name[..MaxEchoedName] + "…";
}
