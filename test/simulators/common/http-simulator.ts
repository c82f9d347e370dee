import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Vendor } from '../../../src/providers/provider';
import { AccountBook, emptyAccount } from './account-book';
import { CloudEventsPublisher, type EventVendor } from './cloudevents-publisher';
import type { SimDatabase, SimHost } from './model';
import { FaultInjector } from './faults';
import { startHttpServer, type RunningHttpServer } from './http';
import type { CloudSimulator, SimAccount } from './simulator';

/** What an HTTP simulator of a cloud keeps the same whatever its vendor: accounts, faults, the server. */
export abstract class HttpSimulator implements CloudSimulator {
  abstract readonly vendor: Vendor;
  readonly faults = new FaultInjector();
  protected readonly accounts: AccountBook;
  private server!: RunningHttpServer;
  private publisher: CloudEventsPublisher | null = null;

  protected constructor(vendorName: string) {
    this.accounts = new AccountBook(vendorName);
  }

  /** Starts a simulator's server on 127.0.0.1, port 0. */
  protected static async listen<T extends HttpSimulator>(simulator: T): Promise<T> {
    simulator.server = await startHttpServer((req, res) => void simulator.handle(req, res));
    return simulator;
  }

  get address(): string {
    return this.server.url;
  }

  addAccount(apiKey: string, apiSecret: string): SimAccount {
    return this.accounts.add(apiKey, () => emptyAccount(apiSecret));
  }

  account(apiKey: string): SimAccount {
    return this.accounts.get(apiKey);
  }

  /** EventBridge of this cloud (Aliyun, Tencent): CloudEvents of every change made through `change`. */
  get events(): CloudEventsPublisher {
    this.publisher ??= new CloudEventsPublisher(this.vendor as EventVendor);
    return this.publisher;
  }

  /** Changes the account's inventory as the cloud would (null: deleted), then publishes the CloudEvent of it. */
  async change(apiKey: string, kind: 'host' | 'rds', instanceId: string, value: SimHost | SimDatabase | null, region: string): Promise<void> {
    const account = this.accounts.get(apiKey);
    const items = (kind === 'host' ? account.hosts : account.databases) as Map<string, SimHost | SimDatabase>;
    if (value) items.set(instanceId, value);
    else items.delete(instanceId);
    await this.events.resourceChanged(kind, instanceId, region);
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}
