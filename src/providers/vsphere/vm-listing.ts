import type { HostRecord, ResourcePage } from '../provider';
import { ProviderError, isProviderError } from '../provider-error';
import { normalisePage } from '../common/paginate';
import type { MoRef } from './vim-envelopes';
import { viewPages } from './view-pages';
import { VM_PROPERTIES, inventoryName, isTemplate, toHostRecord, vmIdentity, type VirtualMachineContent } from './vm-mapper';
import type { VsphereSession } from './vsphere-session';

export interface VmListingOptions {
  /** Objects per RetrievePropertiesEx page (vCenter may send fewer). */
  maxObjects: number;
  /** A hard bound on the pages of one listing, against a token chain that never ends. */
  maxPages: number;
}

export interface Datacenter {
  ref: MoRef;
  name: string;
}

/**
 * Every VM of a vCenter, one page per RetrievePropertiesEx or
 * ContinueRetrievePropertiesEx call, in every datacenter; templates skipped.
 *
 * A VM's datacenter is not a VM property. Rather than walking each VM's parent
 * folders, the listing asks for the datacenters first (one small retrieval) and
 * then opens one container view per datacenter: every VM of that view belongs
 * to that datacenter, at no extra call per VM.
 *
 * A session that expires mid-listing (NotAuthenticated) is renewed once. Its
 * views and tokens died with it (vCenter keeps them per session), so the
 * datacenter being listed is read again from its start, skipping the VMs
 * already yielded: every VM still comes exactly once. A second expiry fails.
 */
export async function* listVirtualMachines(
  session: VsphereSession,
  options: VmListingOptions,
): AsyncGenerator<ResourcePage<HostRecord>> {
  let renewalsLeft = 1;
  /** Rethrows anything but a first NotAuthenticated, which it answers with a new login. */
  const renewAfter = async (error: unknown) => {
    if (!(isProviderError(error) && error.code === 'NotAuthenticated') || renewalsLeft === 0) throw error;
    renewalsLeft--;
    await session.login();
  };
  const renewing = async <T>(work: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        await renewAfter(error);
      }
    }
  };

  const datacenters = await renewing(() => listDatacenters(session, options));
  let pageNumber = 0;
  for (const datacenter of datacenters) {
    const yielded = new Set<string>();
    for (let complete = false; !complete; ) {
      try {
        for await (const page of viewPages(session, datacenter.ref, 'VirtualMachine', VM_PROPERTIES, options.maxObjects)) {
          if (++pageNumber > options.maxPages) throw tooManyPages(options.maxPages);
          const fresh = page.objects.filter((vm) => !yielded.has(vm.obj.value));
          for (const vm of fresh) yielded.add(vm.obj.value);
          const items: VirtualMachineContent[] = fresh.filter((vm) => !isTemplate(vm)).map((vm) => ({ ...vm, datacenter: datacenter.name }));
          yield normalisePage({ items, pageNumber, queryAt: page.queryAt }, toHostRecord, vmIdentity);
        }
        complete = true;
      } catch (error) {
        await renewAfter(error);
      }
    }
  }
}

/** The datacenters of the vCenter, by MoRef and name. */
export async function listDatacenters(session: VsphereSession, options: VmListingOptions): Promise<Datacenter[]> {
  const datacenters: Datacenter[] = [];
  let pages = 0;
  for await (const page of viewPages(session, session.serviceContent.rootFolder, 'Datacenter', ['name'], options.maxObjects)) {
    if (++pages > options.maxPages) throw tooManyPages(options.maxPages);
    for (const object of page.objects) {
      datacenters.push({ ref: object.obj, name: inventoryName(object.props.name) ?? object.obj.value });
    }
  }
  return datacenters;
}

function tooManyPages(maxPages: number): ProviderError {
  return new ProviderError({
    vendor: 'vsphere',
    code: 'InconsistentListing',
    message: `the listing did not end after ${maxPages} pages`,
    retryable: false,
  });
}
