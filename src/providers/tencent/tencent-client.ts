import * as dns from 'node:dns';
import type { Agent } from 'node:http';
import { cvm } from 'tencentcloud-sdk-nodejs-cvm';
import { CommonClient, type AbstractClient, type ClientConfig } from 'tencentcloud-sdk-nodejs-common';
import { cappedAgent } from '../common/capped-agent';
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
 *
 * The agent cuts an answer past `maxResponseBytes` (node-fetch reads whole
 * bodies and the SDK passes it no size limit). It counts bytes on the wire, so
 * the answer is asked for uncompressed: node-fetch would otherwise ask for gzip
 * and inflate it past the count.
 */
function httpProfile(service: TencentService, address: string | null | undefined, timeoutMs: number, maxResponseBytes: number) {
  const reqTimeout = Math.max(1, Math.ceil(timeoutMs / 1000));
  const headers = { 'Accept-Encoding': 'identity' };
  if (!address) {
    const agent = cappedAgent(true, maxResponseBytes, { keepAlive: true });
    return { endpoint: `${service}.tencentcloudapi.com`, protocol: 'https://', reqTimeout, headers, agent };
  }
  const url = new URL(address.includes('://') ? address : `https://${address}`);
  const pinnedHost = url.hostname.replace(/^\[|\]$/g, '');
  const lookup: typeof dns.lookup = ((_hostname: string, options: dns.LookupOptions, callback: never) =>
    dns.lookup(pinnedHost, options, callback)) as typeof dns.lookup;
  const secure = url.protocol === 'https:';
  const agent = cappedAgent(secure, maxResponseBytes, { keepAlive: true, lookup });
  const port = url.port ? `:${url.port}` : '';
  return { endpoint: `${service}.tencentcloudapi.com${port}`, protocol: secure ? 'https://' : 'http://', reqTimeout, headers, agent };
}

/** One SDK client per secret, service and region, rebuilt when the key or secret changes. */
export class TencentClients {
  private readonly clients = new Map<string, { apiKey: string; apiSecret: string; client: AbstractClient; agent: Agent }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly maxResponseBytes: number,
  ) {}

  client(credentials: ProviderCredentials, service: TencentService, region: string): AbstractClient {
    const cacheKey = `${credentials.secretId}|${service}|${region}|${credentials.address ?? ''}`;
    const cached = this.clients.get(cacheKey);
    if (cached && cached.apiKey === credentials.apiKey && cached.apiSecret === credentials.apiSecret) return cached.client;
    cached?.agent.destroy();
    const profile = httpProfile(service, credentials.address, this.timeoutMs, this.maxResponseBytes);
    const config: ClientConfig = {
      credential: { secretId: credentials.apiKey, secretKey: credentials.apiSecret },
      region,
      profile: { httpProfile: profile },
    };
    // CVM has its own small package; CDB goes through the generic client (the full SDK is 62 MB).
    const client =
      service === 'cvm'
        ? new cvm.v20170312.Client(config)
        : new CommonClient(`${service}.tencentcloudapi.com`, API_VERSIONS[service], config);
    this.clients.set(cacheKey, { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret, client, agent: profile.agent });
    return client;
  }

  /** Closes every client's idle sockets. */
  destroyAll(): void {
    for (const { agent } of this.clients.values()) agent.destroy();
    this.clients.clear();
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
