import type { Vendor } from '../../../src/providers/provider';
import type { FaultInjector } from './faults';
import type { SimDatabase, SimHost } from './model';

/** One account's inventory in a simulator, keyed by instance id: mutate it freely between two syncs. */
export interface SimAccount {
  apiSecret: string;
  hosts: Map<string, SimHost>;
  databases: Map<string, SimDatabase>;
}

/** What every vendor simulator offers a test, whatever its wire protocol. */
export interface CloudSimulator {
  readonly vendor: Vendor;
  /** What a secret's `address` holds to reach this simulator. */
  readonly address: string;
  readonly faults: FaultInjector;
  /** Registers (or returns) an account; requests signed with another key or secret are rejected as the vendor does. */
  addAccount(apiKey: string, apiSecret: string): SimAccount;
  account(apiKey: string): SimAccount;
  stop(): Promise<void>;
}
