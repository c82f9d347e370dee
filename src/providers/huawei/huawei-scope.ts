import type { ProviderCredentials } from '../provider';
import type { ProviderRuntime } from '../common/provider-runtime';

/** What a Huawei pager needs: one secret, one region and that region's project. */
export interface HuaweiScope {
  runtime: ProviderRuntime;
  credentials: ProviderCredentials;
  region: string;
  projectId: string;
  signal?: AbortSignal;
}
