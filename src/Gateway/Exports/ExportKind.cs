namespace Routescope.Gateway.Exports;

/// <summary>What an exported column holds, which decides how every format writes it.</summary>
internal enum ExportKind
{
    Text,
    Integer,

    /// <summary>A measurement such as a latency in milliseconds (floating point is its nature).</summary>
    Number,

    /// <summary>An exact rate: a price per million tokens or per image, a ratio. Written in full, as text in JSON.</summary>
    Decimal,

    /// <summary>An amount of money: fixed scale (<see cref="ExportMoney.Scale"/> places), as text in JSON.</summary>
    Money,

    /// <summary>A UTC time, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    Time,
}
