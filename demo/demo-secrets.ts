import type { DemoCloud } from './demo-clouds';
import { waitForFeeds, waitForJobs, type Http } from './demo-api';
import type { CreatedSecret } from './demo-notifications';

export interface RegisteredSecrets {
  secretIds: string[];
  /** The first sync's jobs: every scope of the secrets that do not follow a feed. */
  jobIds: string[];
  /** Secrets whose first listing comes from their change feed (vSphere's `watch`). */
  watchedSecretIds: string[];
}

/**
 * One secret per cloud (each also synced fully every minute, the backstop of
 * delta sync), the cloud's notifications pointed at the server, and a first
 * sync of every scope started.
 */
export async function registerDemoSecrets(
  http: Http,
  clouds: DemoCloud[],
  serverUrl: string,
  options: { schedule?: string } = {},
): Promise<RegisteredSecrets> {
  // Every secret first, then every sync: the syncs' writes would hold up the secrets' creation (one database connection).
  const secrets = await Promise.all(
    clouds.map((cloud) => http<CreatedSecret & { watch: boolean }>('POST', '/secrets', { ...cloud.secret, sync_schedule: options.schedule ?? '* * * * *' })),
  );
  await Promise.all(clouds.map((cloud, index) => cloud.notifications.subscribe(serverUrl, secrets[index])));
  // A watched secret's feed lists every VM first, as a full sync of the scope: a second one now would only wait for it.
  const synced = secrets.filter((secret) => !secret.watch);
  const jobs = await Promise.all(synced.map((secret) => http<{ job_ids: string[] }>('POST', `/secrets/${secret.id}/sync-all`)));
  return {
    secretIds: secrets.map((secret) => secret.id),
    jobIds: jobs.flatMap((answer) => answer.job_ids),
    watchedSecretIds: secrets.filter((secret) => secret.watch).map((secret) => secret.id),
  };
}

export async function waitForFirstSync(http: Http, registered: RegisteredSecrets, report: (line: string) => void): Promise<void> {
  await Promise.all([waitForJobs(http, registered.jobIds, report), waitForFeeds(http, registered.watchedSecretIds, report)]);
}
