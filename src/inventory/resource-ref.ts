import { VENDORS, Vendor } from '../providers/provider';

/** A resource named by our id, or by its vendor and the vendor's instance id. */
export type ResourceRef = { id: string } | { vendor: Vendor; instanceId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `:id` of a resource route: a uuid, or `vendor:instance_id`. Anything else names no resource (null: a 404). */
export function parseResourceRef(text: string): ResourceRef | null {
  if (UUID.test(text)) return { id: text.toLowerCase() };
  const separator = text.indexOf(':');
  const vendor = text.slice(0, separator) as Vendor;
  const instanceId = text.slice(separator + 1);
  if (separator < 0 || !VENDORS.includes(vendor) || instanceId.length === 0 || instanceId.length > 128 || instanceId.includes('\u0000')) return null;
  return { vendor, instanceId };
}
