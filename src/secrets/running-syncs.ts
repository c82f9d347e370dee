import type { EntityManager } from 'typeorm';

/**
 * What deleting a secret needs to know from the sync module, which owns the
 * jobs (and imports this module, so it cannot be imported back). The sync
 * module provides it (RunningSyncsModule).
 */
export abstract class RunningSyncs {
  /**
   * Inside `manager`'s transaction: locks the secret's queued and running
   * jobs, so that none starts before the transaction ends, and tells whether
   * one of them runs.
   */
  abstract holdAndCheck(secretId: string, manager: EntityManager): Promise<boolean>;
}
