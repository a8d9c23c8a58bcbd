using System.Linq.Expressions;
using System.Reflection;

namespace Routescope.Gateway.Usage;

/// <summary>
/// One column of <c>usage_records</c>: its name in the stores, the record property it holds, and what kind of value
/// that is. The property's getter and init setter are compiled once, so stores read and write every column through
/// this one description.
/// </summary>
internal sealed class UsageColumn
{
    private readonly Func<UsageRecord, object?> _get;
    private readonly Action<UsageRecord, object?> _set;

    public UsageColumn(string name, string property)
    {
        Name = name;
        Property = typeof(UsageRecord).GetProperty(property) ?? throw new ArgumentException($"UsageRecord has no property {property}.", nameof(property));
        var type = Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;
        Type = type == typeof(string) ? UsageColumnType.Text
            : type == typeof(int) ? UsageColumnType.Int32
            : type == typeof(long) ? UsageColumnType.Int64
            : type == typeof(double) ? UsageColumnType.Double
            : type == typeof(decimal) ? UsageColumnType.Decimal
            : type == typeof(DateTimeOffset) ? UsageColumnType.Timestamp
            : throw new ArgumentException($"UsageRecord.{property} is a {type.Name}: no store column type holds it.", nameof(property));
        IsNullable = new NullabilityInfoContext().Create(Property).ReadState == NullabilityState.Nullable;

        var record = Expression.Parameter(typeof(UsageRecord), "record");
        var value = Expression.Parameter(typeof(object), "value");
        _get = Expression.Lambda<Func<UsageRecord, object?>>(Expression.Convert(Expression.Property(record, Property), typeof(object)), record).Compile();
        // An init accessor is an ordinary setter to compiled code; it runs only on a record still being read (Read).
        _set = Expression.Lambda<Action<UsageRecord, object?>>(
            Expression.Call(record, Property.SetMethod!, Expression.Convert(value, Property.PropertyType)), record, value).Compile();
    }

    /// <summary>The column's name in both stores, e.g. <c>prompt_tokens</c>.</summary>
    public string Name { get; }

    public PropertyInfo Property { get; }

    public UsageColumnType Type { get; }

    public bool IsNullable { get; }

    /// <summary>The record's value for this column: a string, int, long, double, decimal or DateTimeOffset, or null.</summary>
    public object? Value(UsageRecord record) => _get(record);

    /// <summary>Sets the column on a record that <see cref="UsageColumns.Read"/> is building.</summary>
    internal void Assign(UsageRecord record, object? value) =>
        _set(record, value is not null || IsNullable ? value : throw new InvalidDataException($"usage_records.{Name} is NULL in the store, but every record has one."));
}
