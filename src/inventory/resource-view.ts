/**
 * What a client sees of a resource, as JSON text built by PostgreSQL: our id,
 * every normalised column of its kind, and its bookkeeping. The text is kept
 * in each row (`api_view`, a stored generated column: see the
 * StoredResourceViews migration), so a page of a hundred resources is a
 * hundred ready strings that cross the driver and the controller untouched.
 * `raw` (it can be large) only when asked for: the single-resource view.
 */
export function viewJsonSql(alias: string, options: { withRaw: boolean }): string {
  if (!options.withRaw) return `${alias}.api_view`;
  return `left(${alias}.api_view, -1) || ',"raw":' || ${alias}.raw::text || '}'`;
}
