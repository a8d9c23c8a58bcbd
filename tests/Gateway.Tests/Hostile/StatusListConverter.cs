using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routescope.Gateway.Tests.Hostile;

/// <summary>Reads a case's <c>status</c> written either as one number or as a list of acceptable ones.</summary>
public sealed class StatusListConverter : JsonConverter<IReadOnlyList<int>>
{
    public override IReadOnlyList<int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return [reader.GetInt32()];
        }

        var statuses = new List<int>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("status must be a number or an array of numbers.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            statuses.Add(reader.GetInt32());
        }

        return statuses;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<int> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var status in value)
        {
            writer.WriteNumberValue(status);
        }

        writer.WriteEndArray();
    }
}
