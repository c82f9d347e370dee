import { Injectable } from '@nestjs/common';

/** After which revision a reader still needs every change (a broker's publisher behind its backlog). */
export type NeededAfter = () => Promise<number>;

/**
 * Readers of the change log that the retention must not overtake: another
 * module (publishing) registers what it still needs, and the retention prunes
 * no revision past the lowest of them, so a broker that was down longer than
 * CMDB_CHANGES_RETENTION still gets every change when it returns.
 */
@Injectable()
export class ChangeLogHolds {
  private readonly holders = new Map<string, NeededAfter>();

  /** Answers the release. */
  hold(name: string, neededAfter: NeededAfter): () => void {
    this.holders.set(name, neededAfter);
    return () => void this.holders.delete(name);
  }

  /** The highest revision that may be pruned, or null when no reader holds any. A holder that cannot tell fails the call: prune nothing then. */
  async prunableThrough(): Promise<number | null> {
    const needed = await Promise.all([...this.holders.values()].map((neededAfter) => neededAfter()));
    return needed.length === 0 ? null : Math.min(...needed);
  }
}
