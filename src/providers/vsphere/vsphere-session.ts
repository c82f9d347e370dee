import type { ProviderCredentials } from '../provider';
import type { ProviderRuntime } from '../common/provider-runtime';
import type { SoapTarget } from './soap-transport';
import { VimClient } from './vim-client';
import { toVsphereError } from './vsphere-errors';

/**
 * How long a session's best-effort clean-up (destroying a watch's filters and
 * views; logging out) may take in all. A vCenter that stopped answering would
 * otherwise hold a stop for a call timeout, and its retries, per object.
 */
export const CLEANUP_BUDGET_MS = 3_000;

/** The signal of best-effort clean-up calls: they run even after the session's own signal aborted, within the budget. */
export const cleanupSignal = (): AbortSignal => AbortSignal.timeout(CLEANUP_BUDGET_MS);

/**
 * One login to one vCenter, every call of it through the runtime (rate limit,
 * timeout, retries). Log in with `open`, and always `close` in a finally: a
 * vCenter caps its sessions, and an abandoned one lives for its idle timeout.
 */
export class VsphereSession {
  private readonly client: VimClient;
  private readonly where: string;

  constructor(
    private readonly runtime: ProviderRuntime,
    private readonly credentials: ProviderCredentials,
    target: SoapTarget,
    private readonly signal?: AbortSignal,
  ) {
    this.where = `vCenter ${target.host}:${target.port}`;
    this.client = new VimClient(target, [credentials.apiSecret]);
  }

  /** One vendor call of this session; `signal: null` runs it even after the listing was cancelled. */
  call<T>(request: (client: VimClient, signal: AbortSignal) => Promise<T>, signal: AbortSignal | null = this.signal ?? null): Promise<T> {
    return this.runtime.call(
      this.credentials,
      (callSignal) => request(this.client, callSignal),
      (error) => toVsphereError(error, this.where, [this.credentials.apiSecret]),
      signal ?? undefined,
    );
  }

  get serviceContent() {
    return this.client.serviceContent;
  }

  async open(): Promise<void> {
    await this.call((client, signal) => client.retrieveServiceContent(signal));
    await this.login();
  }

  /** A new session after the old one expired: views and tokens of the old one are gone with it. */
  async login(): Promise<void> {
    await this.call((client, signal) => client.login(this.credentials.apiKey, this.credentials.apiSecret, signal));
  }

  /** Best effort: a failed logout must not hide the listing's own outcome. */
  async close(): Promise<void> {
    if (!this.client.loggedIn) return;
    await this.call((client, signal) => client.logout(signal), cleanupSignal()).catch(() => undefined);
  }
}
