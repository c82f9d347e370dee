/** The wildcard that allows every region. */
export const ANY_REGION = '*';

/** A region is allowed by an exact match in the allowlist, or by `*`. */
export function isAllowedRegion(allowRegions: readonly string[], region: string): boolean {
  return allowRegions.includes(ANY_REGION) || allowRegions.includes(region);
}
