import { ProviderError } from '../provider-error';

export interface VsphereEndpoint {
  host: string;
  port: number;
}

const DEFAULT_PORT = 443;

/**
 * A secret's `address`: `host`, `host:port`, `[v6]` or `[v6]:port`; an
 * `https://` prefix or a trailing `/sdk` pasted from a browser is tolerated.
 */
export function parseVsphereAddress(address: string | null | undefined): VsphereEndpoint {
  const text = (address ?? '').trim().replace(/^https:\/\//i, '').replace(/\/(sdk\/?)?$/i, '');
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/[\]]+))(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[3] === undefined ? DEFAULT_PORT : Number(match[3]);
  if (!match || port < 1 || port > 65_535) {
    throw new ProviderError({
      vendor: 'vsphere',
      code: 'InvalidAddress',
      message: `the vCenter address "${text}" is not host or host:port`,
      retryable: false,
    });
  }
  return { host: match[1] ?? match[2], port };
}
