/**
 * The terms a resource's tags are found by (the `tag_terms` column and its GIN
 * index): `k:<key>` for "has the key", `p:<length of key>:<key>=<value>` for
 * "has the pair" (the length keeps keys that contain `=` apart). A text[]
 * rather than jsonb containment because PostgreSQL keeps statistics of an
 * array's common elements and none for `jsonb @>`: see the TagTerms migration.
 * The SQL function inventory_tag_terms(jsonb) of that migration is the same
 * rule, for backfills and bulk loads: keep the two identical.
 */
export function tagTerms(tags: Record<string, string> | null | undefined): string[] {
  const terms: string[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) terms.push(keyTerm(key), pairTerm(key, value ?? ''));
  return terms;
}

export function keyTerm(key: string): string {
  return `k:${key}`;
}

/** The length in characters, as PostgreSQL's length() counts them (not UTF-16 units). */
export function pairTerm(key: string, value: string): string {
  return `p:${[...key].length}:${key}=${value}`;
}
