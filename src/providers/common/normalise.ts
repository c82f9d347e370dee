/** Small readers shared by every vendor's mapper: they turn the vendor's loose shapes into ours. */

/** A required identifier: an item without one cannot be stored and fails alone. */
export function requireString(value: unknown, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`missing ${field}`);
}

export function optionalString(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Numbers arrive as numbers or strings ("4", "8192"); anything else is unknown. */
export function optionalNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A vendor time (ISO with or without seconds or zone, "YYYY-MM-DD HH:mm:ss") as ISO-8601 UTC, or null. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '' || value.startsWith('0000')) return null;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? value.replace(' ', 'T') + 'Z' : value;
  const time = Date.parse(/T\d{2}:\d{2}Z$/.test(text) ? text.replace('Z', ':00Z') : text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** Tags from a list of pairs, whatever the vendor calls the two fields. */
export function tagsFromPairs(list: unknown, keyField: string, valueField: string): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(list)) return tags;
  for (const pair of list) {
    if (pair && typeof pair === 'object') {
      const key = (pair as Record<string, unknown>)[keyField];
      const value = (pair as Record<string, unknown>)[valueField];
      if (typeof key === 'string' && key !== '') tags[key] = typeof value === 'string' ? value : '';
    }
  }
  return tags;
}

/** Tags written as "key=value" strings (Huawei ECS). */
export function tagsFromStrings(list: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const entry of stringList(list)) {
    const at = entry.indexOf('=');
    if (at === -1) tags[entry] = '';
    else tags[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return tags;
}

/** Looks a vendor word up in a table, case-insensitively; unknown words map to the fallback. */
export function lookup<T>(table: Record<string, T>, word: unknown, fallback: T): T {
  if (typeof word !== 'string' && typeof word !== 'number') return fallback;
  return table[String(word).toLowerCase()] ?? fallback;
}
