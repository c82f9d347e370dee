import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoCloud, startCloudActivity, startDemoClouds, stopDemoClouds } from './demo-clouds';

/**
 * `npm run demo`: the whole product on simulated clouds. Four simulators with a
 * seeded inventory and a light background of activity, the built server on an
 * embedded database in a temporary data dir, one secret per cloud (each synced
 * every minute), a first sync of every scope; then the console's address and a
 * sign-in token. Ctrl-C stops everything and removes the data dir.
 * `PORT` (default 3000), `DEMO_HOSTS` (per cloud, default 300), `DEMO_ACTIVITY_MS` (default 3000).
 */
const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');
const started = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

async function main(): Promise<void> {
  const hosts = Number(process.env.DEMO_HOSTS ?? 300);
  const dataDir = mkdtempSync(join(tmpdir(), 'cmdb-demo-'));
  const token = `cmdb_${randomBytes(32).toString('base64url')}`;
  let clouds: DemoCloud[] = [];
  let server: ChildProcess | null = null;
  let stopActivity = () => undefined as void;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping the demo…');
    stopActivity();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await stopDemoClouds(clouds);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    // The server's embedded database takes the longest to start: the clouds start meanwhile.
    const serverStarting = startServer(dataDir, token);
    void serverStarting.then(({ child }) => (server = child)).catch(() => undefined);
    clouds = await startDemoClouds({ hosts, databases: Math.ceil(hosts / 5) });
    say(`clouds: ${clouds.map((cloud) => `${cloud.vendor} ${cloud.simulator.address}`).join(', ')}`);
    const { url, child } = await serverStarting;
    say(`server: ${url} (${seconds()} s)`);
    child.once('exit', (code) => {
      if (!stopping) {
        say(`the server stopped (exit ${code})`);
        void stop(1);
      }
    });
    const http = client(url, token);
    const jobIds: string[] = [];
    for (const cloud of clouds) {
      const secret = await http<{ id: string }>('POST', '/secrets', { ...cloud.secret, sync_schedule: '* * * * *' });
      const { job_ids } = await http<{ job_ids: string[] }>('POST', `/secrets/${secret.id}/sync-all`);
      jobIds.push(...job_ids);
    }
    say(`first sync: ${jobIds.length} scopes…`);
    await waitForJobs(http, jobIds);
    say(`first sync done (${seconds()} s)`);
    const stats = await http<{ by_resource_type: { host: number; rds: number } }>('GET', '/stats');
    stopActivity = startCloudActivity(clouds, Number(process.env.DEMO_ACTIVITY_MS ?? 3000), (line) => say(`  cloud activity: ${line}`));
    say('');
    say(`CMDB demo ready in ${seconds()} s: ${stats.by_resource_type.host} hosts and ${stats.by_resource_type.rds} databases`);
    say(`  console  ${url}/console/`);
    say(`  token    ${token}   (admin; paste it on the sign-in page)`);
    say(`  API      ${url}/docs`);
    say('Each secret syncs every minute, so the clouds\' activity below reaches the console. Ctrl-C to stop.');
  } catch (error) {
    if (stopping) return;
    say(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

function startServer(dataDir: string, token: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--max-old-space-size=512', MAIN], {
    env: {
      ...process.env,
      PORT: process.env.PORT ?? '3000',
      HOST: process.env.HOST ?? '127.0.0.1',
      LOG_LEVEL: 'warn',
      CMDB_DATA_DIR: dataDir,
      CMDB_ADMIN_TOKEN: token,
      CMDB_SYNC_CONCURRENCY: '4',
      CMDB_SYNC_POLL_MS: '500',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stderr!.removeAllListeners('data');
        child.stderr!.pipe(process.stderr);
        resolve({ url: match[1], child });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}

type Http = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function client(url: string, token: string): Http {
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

async function waitForJobs(http: Http, jobIds: string[]): Promise<void> {
  const pending = new Set(jobIds);
  while (pending.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of [...pending]) {
      const job = await http<{ status: string; vendor: string; region: string | null; resource_type: string; error: { message: string } | null }>('GET', `/sync-jobs/${id}`);
      if (job.status === 'queued' || job.status === 'running') continue;
      pending.delete(id);
      if (job.status !== 'succeeded') say(`  ${job.vendor} ${job.resource_type} ${job.region ?? ''}: ${job.status} ${job.error?.message ?? ''}`);
    }
  }
}

void main();
