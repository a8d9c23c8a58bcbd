namespace Routescope.Gateway.Usage.Journal;

/// <summary>What the journal found at start: records a previous run left for the store, in how many segments.</summary>
internal readonly record struct JournalOpening(long Records, int Segments);
