/**
 * A Map that counts its mutations, so a simulator can cache a region's listing
 * between two pages instead of filtering the whole inventory per page (which is
 * quadratic over a listing of a million hosts).
 */
export class InventoryMap<V> extends Map<string, V> {
  version = 0;

  override set(key: string, value: V): this {
    this.version = (this.version ?? 0) + 1; // also called by Map's constructor, before fields exist
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.version++;
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

const cache = new WeakMap<Map<string, unknown>, { version: number; byRegion: Map<string, unknown[]> }>();

/**
 * The items of one region (all items for null), in insertion order: the stable
 * order a vendor lists in. Cached while an InventoryMap is unchanged; a plain
 * Map is filtered on every call. Moving an item between regions in place is not
 * seen by the cache (a cloud never does that either).
 */
export function itemsInRegion<V extends { region: string }>(items: Map<string, V>, region: string | null): V[] {
  const version = items instanceof InventoryMap ? items.version : null;
  const key = region ?? '\u0000all';
  if (version !== null) {
    const entry = cache.get(items);
    if (entry && entry.version === version) {
      const hit = entry.byRegion.get(key);
      if (hit) return hit as V[];
    } else {
      cache.set(items, { version, byRegion: new Map() });
    }
  }
  const listed: V[] = [];
  for (const item of items.values()) if (region === null || item.region === region) listed.push(item);
  cache.get(items)?.byRegion.set(key, listed);
  return listed;
}
