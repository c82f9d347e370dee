import { isUrlAtOrigin } from '../signing-certificates';

/**
 * Where SMN lives for a region: CMDB_SMN_ENDPOINT with `{region}` filled in
 * (https://smn.<region>.myhuaweicloud.com). Signing certificates are fetched,
 * and subscriptions confirmed, only at that exact origin: never at a host a
 * message names (the sample's SSRF and forged-certificate holes).
 */
export function smnOrigin(template: string, region: string): string {
  return new URL(template.replace('{region}', region)).origin;
}

/** Whether `url` is an https (or the configured scheme's) URL at the region's SMN origin, with no credentials in it. */
export function isSmnUrl(url: string, template: string, region: string): boolean {
  return isUrlAtOrigin(url, smnOrigin(template, region));
}
