import type { CloudProvider, ListOptions, ProviderCredentials, ResourcePage, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import type { ProviderRuntime } from '../common/provider-runtime';
import { VsphereAgents } from './vsphere-agents';
import { parseVsphereAddress } from './vsphere-address';
import { VsphereSession } from './vsphere-session';
import { listVirtualMachines, type VmListingOptions } from './vm-listing';

const DEFAULT_LISTING: VmListingOptions = { maxObjects: 1000, maxPages: 100_000 };

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

  constructor(
    private readonly runtime: ProviderRuntime,
    listing: Partial<VmListingOptions> = {},
  ) {
    this.listing = { ...DEFAULT_LISTING, ...listing };
  }

  async *list(credentials: ProviderCredentials, resourceType: ResourceType, options: ListOptions): AsyncIterable<ResourcePage> {
    if (resourceType !== 'host') {
      throw new ProviderError({
        vendor: 'vsphere',
        code: 'UnsupportedResourceType',
        message: `vSphere has no ${resourceType} resources`,
        retryable: false,
      });
    }
    const session = this.session(credentials, options.signal);
    await session.open();
    try {
      yield* listVirtualMachines(session, this.listing);
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
    const target = { ...parseVsphereAddress(credentials.address), agent: this.agents.agentFor(credentials) };
    return new VsphereSession(this.runtime, credentials, target, signal);
  }
}
