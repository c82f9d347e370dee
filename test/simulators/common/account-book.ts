import { InventoryMap } from './listing';
import type { SimAccount } from './simulator';

/** The accounts a simulator knows, by api key: what every vendor's simulator keeps the same way. */
export class AccountBook<A extends SimAccount = SimAccount> {
  private readonly accounts = new Map<string, A>();

  constructor(private readonly vendorName: string) {}

  /** Registers an account, or returns the one the key already has. */
  add(apiKey: string, create: () => A): A {
    const existing = this.accounts.get(apiKey);
    if (existing) return existing;
    const account = create();
    this.accounts.set(apiKey, account);
    return account;
  }

  /** For tests: the account must exist. */
  get(apiKey: string): A {
    const account = this.accounts.get(apiKey);
    if (!account) throw new Error(`no simulated ${this.vendorName} account ${apiKey}`);
    return account;
  }

  /** For requests: an unknown key is the vendor's error, not ours. */
  find(apiKey: string): A | undefined {
    return this.accounts.get(apiKey);
  }
}

export function emptyAccount(apiSecret: string): SimAccount {
  return { apiSecret, hosts: new InventoryMap(), databases: new InventoryMap() };
}
