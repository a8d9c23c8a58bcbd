namespace Routescope.Gateway.Usage;

/// <summary>What a replay of the spill files did: records handed to the store, and torn fragments of crashed appends skipped.</summary>
internal readonly record struct SpillReplay(int Replayed, int TornFragments);
