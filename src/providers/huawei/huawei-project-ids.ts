import type { ProviderCredentials } from '../provider';
import { ProviderError } from '../provider-error';
import type { ProviderRuntime } from '../common/provider-runtime';
import { createCoreClient, getJson, huaweiEndpoint } from './huawei-clients';
import { huaweiError, invalidResponse } from './huawei-errors';

/**
 * Every Huawei call is scoped to a project: one per account and region. The
 * secret may carry it; otherwise IAM's project list (`GET /v3/projects?name=<region>`)
 * tells, once per secret and region for the life of the process.
 */
export class HuaweiProjectIds {
  private readonly looked = new Map<string, Promise<string>>();

  constructor(private readonly runtime: ProviderRuntime) {}

  resolve(credentials: ProviderCredentials, region: string, signal?: AbortSignal): Promise<string> {
    const given = credentials.projectIds?.[region];
    if (given) return Promise.resolve(given);
    // The key and endpoint are part of the key: a rotated or re-pointed secret looks again.
    const key = [credentials.secretId, credentials.apiKey, huaweiEndpoint(credentials, 'iam', region), region].join('|');
    let found = this.looked.get(key);
    if (!found) {
      found = this.lookUp(credentials, region, signal);
      this.looked.set(key, found);
      found.catch(() => this.looked.delete(key)); // a failure is not remembered
    }
    return found;
  }

  private async lookUp(credentials: ProviderCredentials, region: string, signal?: AbortSignal): Promise<string> {
    const iam = createCoreClient(credentials, 'iam', region, null, this.runtime.policy);
    const body = await this.runtime.call(
      credentials,
      async (callSignal) => {
        const response = await getJson(iam, '/v3/projects', { name: region }, callSignal);
        if (!Array.isArray(response.projects)) throw invalidResponse('IAM KeystoneListProjects');
        return response.projects as unknown[];
      },
      huaweiError,
      signal,
    );
    const project = body.find(
      (item): item is { id: string; name: string } =>
        !!item && typeof item === 'object' && (item as { name?: unknown }).name === region && typeof (item as { id?: unknown }).id === 'string',
    );
    if (!project) {
      throw new ProviderError({
        vendor: 'huawei',
        code: 'ProjectNotFound',
        message: `the account has no project for region ${region}`,
        retryable: false,
      });
    }
    return project.id;
  }
}
