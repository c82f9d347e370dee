import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { cvm } from 'tencentcloud-sdk-nodejs-cvm';
import { CommonClient, type AbstractClient, type ClientConfig } from 'tencentcloud-sdk-nodejs-common';
import type { ProviderRuntime } from '../common/provider-runtime';
import type { ProviderCredentials } from '../provider';
import { ProviderError } from '../provider-error';
import { toTencentError } from './tencent-errors';

export type TencentService = 'cvm' | 'cdb';

const API_VERSIONS: Record<TencentService, string> = { cvm: '2017-03-12', cdb: '2017-03-20' };

/**
 * Where the SDK sends a service's calls. The SDK signs the first label of its
 * endpoint as the service name, so an `address` override (a private endpoint
 * or a simulator, `http://127.0.0.1:PORT`) keeps the real hostname
 * `cvm.tencentcloudapi.com:PORT` and pins it to the address's host through the
 * agent's DNS lookup. Passing an agent also keeps the SDK off `http_proxy`.
 */
function httpProfile(service: TencentService, address: string | null | undefined, timeoutMs: number) {
  const reqTimeout = Math.max(1, Math.ceil(timeoutMs / 1000));
  if (!address) {
    return { endpoint: `${service}.tencentcloudapi.com`, protocol: 'https://', reqTimeout, agent: new https.Agent({ keepAlive: true }) };
  }
  const url = new URL(address.includes('://') ? address : `https://${address}`);
  const pinnedHost = url.hostname.replace(/^\[|\]$/g, '');
  const lookup: typeof dns.lookup = ((_hostname: string, options: dns.LookupOptions, callback: never) =>
    dns.lookup(pinnedHost, options, callback)) as typeof dns.lookup;
  const secure = url.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, lookup }) : new http.Agent({ keepAlive: true, lookup });
  const port = url.port ? `:${url.port}` : '';
  return { endpoint: `${service}.tencentcloudapi.com${port}`, protocol: secure ? 'https://' : 'http://', reqTimeout, agent };
}

/** One SDK client per secret, service and region, rebuilt when the key or secret changes. */
export class TencentClients {
  private readonly clients = new Map<string, { apiKey: string; apiSecret: string; client: AbstractClient }>();

  constructor(private readonly timeoutMs: number) {}

  client(credentials: ProviderCredentials, service: TencentService, region: string): AbstractClient {
    const cacheKey = `${credentials.secretId}|${service}|${region}|${credentials.address ?? ''}`;
    const cached = this.clients.get(cacheKey);
    if (cached && cached.apiKey === credentials.apiKey && cached.apiSecret === credentials.apiSecret) return cached.client;
    const config: ClientConfig = {
      credential: { secretId: credentials.apiKey, secretKey: credentials.apiSecret },
      region,
      profile: { httpProfile: httpProfile(service, credentials.address, this.timeoutMs) },
    };
    // CVM has its own small package; CDB goes through the generic client (the full SDK is 62 MB).
    const client =
      service === 'cvm'
        ? new cvm.v20170312.Client(config)
        : new CommonClient(`${service}.tencentcloudapi.com`, API_VERSIONS[service], config);
    this.clients.set(cacheKey, { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret, client });
    return client;
  }
}

/** Everything one listing or verification of one secret in one region needs. */
export interface TencentScope {
  runtime: ProviderRuntime;
  clients: TencentClients;
  credentials: ProviderCredentials;
  region: string;
  signal?: AbortSignal;
}

/** One vendor call through the shared runtime: rate limit, timeout, retries, errors translated. */
export function callTencent(
  scope: TencentScope,
  service: TencentService,
  action: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const client = scope.clients.client(scope.credentials, service, scope.region);
  return scope.runtime.call(
    scope.credentials,
    async (signal) => (await client.request(action, params, { signal })) as Record<string, unknown>,
    toTencentError,
    scope.signal,
  );
}

/** A page's list (null when empty, as Tencent prints it) and total, or an InvalidResponse error. */
export function tencentPage(body: Record<string, unknown>, listField: string): { items: Record<string, unknown>[]; total: number } {
  const list = body[listField] ?? [];
  const total = body.TotalCount;
  if (!Array.isArray(list) || typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw new ProviderError({
      vendor: 'tencent',
      code: 'InvalidResponse',
      message: `the answer has no ${listField} list or TotalCount`,
      retryable: false,
    });
  }
  return { items: list as Record<string, unknown>[], total };
}
