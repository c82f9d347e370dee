import type { ResourceRecord, Vendor } from '../provider';
import { ProviderError } from '../provider-error';

/**
 * The one record a by-id read answers: the item whose id matches (a vendor
 * that ignores the filter must not hand us another resource), null when there
 * is none. An item that cannot be normalised is an error, not a "not found":
 * a delete must never be inferred from a bad answer.
 */
export function singleRecord<Raw, T extends ResourceRecord>(
  vendor: Vendor,
  instanceId: string,
  items: Raw[],
  map: (raw: Raw) => T,
  identify: (raw: Raw) => { instanceId: string | null },
): T | null {
  const raw = items.find((item) => identify(item).instanceId === instanceId);
  if (raw === undefined) return null;
  try {
    return map(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProviderError({ vendor, code: 'InvalidResponse', message: `instance ${instanceId} cannot be read: ${reason}`, retryable: false });
  }
}
