/** The few API calls `npm run demo` makes, with the admin token. */
export type Http = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function client(url: string, token: string): Http {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as { message?: string };
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${answer.message}`);
    return answer as T;
  };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 250));

interface Job {
  status: string;
  vendor: string;
  region: string | null;
  resource_type: string;
  error: { message: string } | null;
}

/** Waits until every job has ended; reports the ones that did not succeed. */
export async function waitForJobs(http: Http, jobIds: string[], report: (line: string) => void): Promise<void> {
  const pending = new Set(jobIds);
  while (pending.size > 0) {
    await pause();
    for (const id of [...pending]) {
      const job = await http<Job>('GET', `/sync-jobs/${id}`);
      if (job.status === 'queued' || job.status === 'running') continue;
      pending.delete(id);
      if (job.status !== 'succeeded') report(`  ${job.vendor} ${job.resource_type} ${job.region ?? ''}: ${job.status} ${job.error?.message ?? ''}`);
    }
  }
}

/** Waits until the server follows each watched secret's change feed (its first listing applied); reports a feed that failed. */
export async function waitForFeeds(http: Http, secretIds: string[], report: (line: string) => void): Promise<void> {
  const pending = new Set(secretIds);
  while (pending.size > 0) {
    await pause();
    for (const id of [...pending]) {
      const secret = await http<{ name: string; watch_status: { state: string; error: { message: string } | null } | null }>('GET', `/secrets/${id}`);
      const state = secret.watch_status?.state;
      if (state === 'following') pending.delete(id);
      if (state === 'failed') {
        pending.delete(id);
        report(`  ${secret.name}: its change feed failed: ${secret.watch_status?.error?.message ?? ''}`);
      }
    }
  }
}
