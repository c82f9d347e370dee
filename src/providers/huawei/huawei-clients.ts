import type { ProviderCredentials } from '../provider';
import type { CallPolicy } from '../common/provider-runtime';
import { BasicCredentials, ClientBuilder, EcsClient, type HcClient, type HttpRequestOptions } from './huawei-sdk';

/**
 * Builds the SDK clients for one secret. The endpoint is always explicit
 * (`withRegion` would replace it with the SDK's table), the project id is
 * always set (without it the SDK calls IAM on its own), and a custom user
 * agent stops the SDK from writing `~/.huaweicloud/application_id`.
 */

export type HuaweiService = 'ecs' | 'rds' | 'iam';

const USER_AGENT = 'cmdb';

/** The secret's address (private region, simulator) serves every service; otherwise the public regional endpoint. */
export function huaweiEndpoint(credentials: ProviderCredentials, service: HuaweiService, region: string): string {
  const address = credentials.address?.trim();
  if (address) return (/^https?:\/\//.test(address) ? address : `https://${address}`).replace(/\/+$/, '');
  return `https://${service}.${region}.myhuaweicloud.com`;
}

function basicCredentials(credentials: ProviderCredentials, projectId: string | null): BasicCredentials {
  const basic = new BasicCredentials().withAk(credentials.apiKey).withSk(credentials.apiSecret);
  return projectId ? basic.withProjectId(projectId) : basic;
}

// axios stops reading an answer past maxContentLength: a runaway body fails the call, not the process.
// (huaweiError turns axios' "maxContentLength size of N exceeded" into ResponseTooLarge.)
export type HuaweiCallLimits = Pick<CallPolicy, 'timeoutMs' | 'maxResponseBytes'>;

const options = (limits: HuaweiCallLimits) => ({
  customUserAgent: USER_AGENT,
  axiosRequestConfig: { timeout: limits.timeoutMs, maxContentLength: limits.maxResponseBytes },
});

export function createEcsClient(credentials: ProviderCredentials, region: string, projectId: string, limits: HuaweiCallLimits): EcsClient {
  return EcsClient.newBuilder()
    .withCredential(basicCredentials(credentials, projectId))
    .withEndpoint(huaweiEndpoint(credentials, 'ecs', region))
    .withOptions(options(limits))
    .build();
}

/** The SDK's generic client, for the services without a package of their own here (RDS, IAM). */
export function createCoreClient(
  credentials: ProviderCredentials,
  service: Exclude<HuaweiService, 'ecs'>,
  region: string,
  projectId: string | null,
  limits: HuaweiCallLimits,
): HcClient {
  return new ClientBuilder<HcClient>((client) => client)
    .withCredential(basicCredentials(credentials, projectId))
    .withEndpoint(huaweiEndpoint(credentials, service, region))
    .withOptions(options(limits))
    .build();
}

/** A GET through the generic client; the signal lets the runtime's timeout free the socket. */
export function getJson(
  client: HcClient,
  url: string,
  queryParams: Record<string, string | number>,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const request: HttpRequestOptions & { axiosRequestConfig: { signal: AbortSignal } } = {
    method: 'GET',
    url,
    contentType: 'application/json',
    queryParams,
    pathParams: {},
    headers: {},
    axiosRequestConfig: { signal },
  };
  return client.sendRequest(request) as Promise<unknown> as Promise<Record<string, unknown>>;
}
