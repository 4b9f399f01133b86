// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format;

/// <summary>
/// Between two phases of a command (check's pack reading and snapshot walk, prune's tree walk and repacking, a
/// restore's plan and its workers): the runtime keeps memory it has freed committed for reuse, in regions the next
/// phase's large arrays cannot use, so the two phases' peaks would add up. A blocking, compacting, aggressive
/// collection decommits it (a few milliseconds).
/// </summary>
public static class FreedMemory
{
    public static void ReturnToSystem() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
