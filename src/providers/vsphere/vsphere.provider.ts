import type { CloudProvider, FeedAnswer, ListOptions, ProviderCredentials, ResourcePage, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import type { ProviderRuntime } from '../common/provider-runtime';
import { VsphereAgents } from './vsphere-agents';
import { parseVsphereAddress } from './vsphere-address';
import { VsphereSession } from './vsphere-session';
import { listVirtualMachines, type VmListingOptions } from './vm-listing';
import type { WaitOptions } from './vim-envelopes';
import { watchVirtualMachines } from './vm-watch';

const DEFAULT_LISTING: VmListingOptions = { maxObjects: 1000, maxPages: 100_000 };
const DEFAULT_WAIT: WaitOptions = { maxWaitSeconds: 20, maxObjectUpdates: 1000 };

/**
 * vSphere through the project's own vim25 SOAP client (see vendor-apis.md for
 * why not node-vsphere-soap). The scope is a whole vCenter: no region is
 * needed, and each VM's region is its datacenter. Hosts only: vSphere has no
 * managed databases.
 */
export class VsphereProvider implements CloudProvider {
  readonly vendor = 'vsphere' as const;
  readonly needsRegion = false;
  readonly resourceTypes = ['host'] as const;
  private readonly agents = new VsphereAgents();
  private readonly listing: VmListingOptions;
  private readonly wait: WaitOptions;

  constructor(
    private readonly runtime: ProviderRuntime,
    listing: Partial<VmListingOptions> = {},
    wait: Partial<WaitOptions> = {},
  ) {
    this.listing = { ...DEFAULT_LISTING, ...listing };
    // A wait must end (empty) well within the timeout of one vendor call, or every quiet wait would count as a failure.
    const maxWaitSeconds = Math.max(1, Math.min(wait.maxWaitSeconds ?? DEFAULT_WAIT.maxWaitSeconds, Math.floor(runtime.policy.timeoutMs / 2000)));
    this.wait = { ...DEFAULT_WAIT, ...wait, maxWaitSeconds };
  }

  async *list(credentials: ProviderCredentials, resourceType: ResourceType, options: ListOptions): AsyncIterable<ResourcePage> {
    hostsOnly(resourceType);
    const session = this.session(credentials, options.signal);
    await session.open();
    try {
      yield* listVirtualMachines(session, this.listing);
    } finally {
      await session.close();
    }
  }

  /**
   * Follows the vCenter's PropertyCollector on a session of its own (a
   * collector's version belongs to its session): the complete listing first,
   * then the changes. Ends quietly when the signal aborts.
   */
  async *watch(credentials: ProviderCredentials, resourceType: ResourceType, signal: AbortSignal): AsyncIterable<FeedAnswer> {
    hostsOnly(resourceType);
    const session = this.session(credentials, signal);
    await session.open();
    try {
      yield* watchVirtualMachines(session, this.listing, this.wait);
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      await session.close();
    }
  }

  /** Log in and out: proves the address, the TLS trust and the credential. */
  async verify(credentials: ProviderCredentials): Promise<void> {
    const session = this.session(credentials);
    await session.open();
    await session.close();
  }

  /** Closes the kept-alive connections (on shutdown). */
  dispose(): void {
    this.agents.destroyAll();
  }

  private session(credentials: ProviderCredentials, signal?: AbortSignal): VsphereSession {
    const target = {
      ...parseVsphereAddress(credentials.address),
      agent: this.agents.agentFor(credentials),
      maxResponseBytes: this.runtime.policy.maxResponseBytes,
    };
    return new VsphereSession(this.runtime, credentials, target, signal);
  }
}

function hostsOnly(resourceType: ResourceType): void {
  if (resourceType === 'host') return;
  throw new ProviderError({
    vendor: 'vsphere',
    code: 'UnsupportedResourceType',
    message: `vSphere has no ${resourceType} resources`,
    retryable: false,
  });
}
