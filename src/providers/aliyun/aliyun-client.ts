import type { Agent } from 'node:http';
import RPCClient from '@alicloud/pop-core';
import { cappedAgent } from '../common/capped-agent';
import type { ProviderRuntime } from '../common/provider-runtime';
import type { ProviderCredentials } from '../provider';
import { ProviderError } from '../provider-error';
import { toAliyunError } from './aliyun-errors';

export type AliyunService = 'ecs' | 'rds';

/** API version and public endpoint per service; a secret's `address` replaces the endpoint (private regions, simulators). */
const SERVICES: Record<AliyunService, { apiVersion: string; endpoint(region: string): string }> = {
  ecs: { apiVersion: '2014-05-26', endpoint: (region) => `https://ecs.${region}.aliyuncs.com` },
  rds: { apiVersion: '2014-08-15', endpoint: () => 'https://rds.aliyuncs.com' },
};

/**
 * One pop-core client per secret, service and region, rebuilt when the secret's
 * key or secret changes. Region is a request parameter, not a client option.
 * Each client has its own keep-alive agent that cuts an answer past
 * `maxResponseBytes` (pop-core reads whole bodies and has no limit of its own).
 */
export class AliyunClients {
  private readonly clients = new Map<string, { apiKey: string; apiSecret: string; client: RPCClient; agent: Agent }>();

  constructor(private readonly maxResponseBytes: number) {}

  client(credentials: ProviderCredentials, service: AliyunService, region: string): RPCClient {
    const { apiVersion, endpoint } = SERVICES[service];
    const url = credentials.address || endpoint(region);
    const cacheKey = `${credentials.secretId}|${service}|${url}`;
    const cached = this.clients.get(cacheKey);
    if (cached && cached.apiKey === credentials.apiKey && cached.apiSecret === credentials.apiSecret) return cached.client;
    cached?.agent.destroy();
    const agent = cappedAgent(url.startsWith('https:'), this.maxResponseBytes, { keepAlive: true, keepAliveMsecs: 3000 });
    const client = new RPCClient({
      accessKeyId: credentials.apiKey,
      accessKeySecret: credentials.apiSecret,
      endpoint: url,
      apiVersion,
      // pop-core sends every request through opts.agent when one is given.
      opts: { agent },
    });
    this.clients.set(cacheKey, { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret, client, agent });
    return client;
  }

  /** Closes every client's idle sockets. */
  destroyAll(): void {
    for (const { agent } of this.clients.values()) agent.destroy();
    this.clients.clear();
  }
}

/**
 * One RPC call. POST keeps the signature out of the URL (pop-core puts the URL
 * in its error messages); `formatParams: false` sends our keys as written; the
 * signal reaches the socket through httpx's `beforeRequest` hook.
 */
export function aliyunRequest<T>(
  client: RPCClient,
  action: string,
  params: Record<string, string | number>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<T> {
  return client.request<T>(action, params, {
    method: 'POST',
    timeout: timeoutMs,
    formatParams: false,
    beforeRequest: (options: Record<string, unknown>) => ({ ...options, signal }),
  });
}

/** Everything one listing or verification of one secret in one region needs. */
export interface AliyunScope {
  runtime: ProviderRuntime;
  clients: AliyunClients;
  credentials: ProviderCredentials;
  region: string;
  signal?: AbortSignal;
}

/** One vendor call through the shared runtime: rate limit, timeout, retries, errors translated. */
export function callAliyun<T>(
  scope: AliyunScope,
  service: AliyunService,
  action: string,
  params: Record<string, string | number>,
): Promise<T> {
  const client = scope.clients.client(scope.credentials, service, scope.region);
  return scope.runtime.call(
    scope.credentials,
    (signal) => aliyunRequest<T>(client, action, params, scope.runtime.policy.timeoutMs, signal),
    toAliyunError,
    scope.signal,
  );
}

/** `body[outer][inner]` as a list, or an InvalidResponse error: a page without its list cannot be trusted. */
export function aliyunList(body: unknown, outer: string, inner: string): Record<string, unknown>[] {
  const holder = (body as Record<string, unknown> | null)?.[outer] as Record<string, unknown> | undefined;
  const list = holder?.[inner];
  if (!Array.isArray(list)) {
    throw new ProviderError({ vendor: 'aliyun', code: 'InvalidResponse', message: `the answer has no ${outer}.${inner} list`, retryable: false });
  }
  return list as Record<string, unknown>[];
}

export function aliyunTotal(body: unknown, field: string): number {
  const total = (body as Record<string, unknown> | null)?.[field];
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw new ProviderError({ vendor: 'aliyun', code: 'InvalidResponse', message: `the answer has no valid ${field}`, retryable: false });
  }
  return total;
}
