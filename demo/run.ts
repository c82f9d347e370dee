import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { client } from './demo-api';
import type { DemoCloud } from './demo-clouds';
import { copyDemoTemplate } from './demo-database';
import { registerDemoSecrets, waitForFirstSync } from './demo-secrets';

/**
 * `npm run demo`: the whole product on simulated clouds. Four simulators with a
 * seeded inventory and a light background of activity that they notify the
 * server of (delta sync), the built server on an embedded database in a
 * temporary data dir (a copy of a migrated template), one secret per cloud
 * (each also synced every minute), a first sync of every scope; then the
 * console's address and a sign-in token. Ctrl-C stops everything and removes
 * the data dir.
 * `PORT` (default 3000), `DEMO_HOSTS` (per cloud, default 300), `DEMO_ACTIVITY_MS` (default 3000).
 */
const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');
const say = (line: string) => process.stdout.write(`${line}\n`);
/** Since this process started, ts-node's compiling included: what a user waits. */
const seconds = () => process.uptime().toFixed(1);

async function main(): Promise<void> {
  const hosts = Number(process.env.DEMO_HOSTS ?? 300);
  const dataDir = mkdtempSync(join(tmpdir(), 'cmdb-demo-'));
  const token = `cmdb_${randomBytes(32).toString('base64url')}`;
  let clouds: DemoCloud[] = [];
  let server: ChildProcess | null = null;
  let stopActivity = () => undefined as void;
  let builder: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping the demo…');
    stopActivity();
    if (builder?.exitCode === null) builder.kill('SIGTERM'); // the next run builds it again
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await Promise.all(clouds.map((cloud) => cloud.simulator.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    // Without a template (the first run after the migrations changed) the server creates and migrates its database, as it always can.
    const copied = await copyDemoTemplate(dataDir).catch((error: unknown) => {
      say(`database: the template could not be copied (${error instanceof Error ? error.message : String(error)})`);
      return false;
    });
    say(copied ? `database: a copy of the migrated template (${seconds()} s)` : 'database: no template yet: the server creates and migrates its own (this run only)');
    // The server starts first: loading the simulators (ts-node compiles them) takes seconds, spent while it boots.
    // It must know where Huawei's SMN is (where signing certificates come from): a port is reserved for it now.
    const smnSocket = await listeningSocket();
    const serverStarting = startServer(
      dataDir,
      token,
      { CMDB_SMN_ENDPOINT: `http://127.0.0.1:${(smnSocket.address() as AddressInfo).port}` },
      (child) => (server = child),
    );
    serverStarting.catch(() => undefined); // awaited below
    const { startDemoClouds, startCloudActivity } = await import('./demo-clouds');
    clouds = await startDemoClouds({ hosts, databases: Math.ceil(hosts / 5), huaweiSocket: smnSocket });
    say(`clouds: ${clouds.map((cloud) => `${cloud.vendor} ${cloud.simulator.address}`).join(', ')} (${seconds()} s)`);
    const { url, child } = await serverStarting;
    say(`server: ${url} (${seconds()} s)`);
    child.once('exit', (code) => {
      if (!stopping) {
        say(`the server stopped (exit ${code})`);
        void stop(1);
      }
    });
    const http = client(url, token);
    const registered = await registerDemoSecrets(http, clouds, url);
    say(`first sync: ${registered.jobIds.length} scopes and ${registered.watchedSecretIds.length} change feed's listing…`);
    await waitForFirstSync(http, registered, say);
    say(`first sync done (${seconds()} s)`);
    const stats = await http<{ by_resource_type: { host: number; rds: number } }>('GET', '/stats');
    stopActivity = startCloudActivity(clouds, Number(process.env.DEMO_ACTIVITY_MS ?? 3000), (line) => say(`  cloud activity: ${line}`));
    say('');
    say(`CMDB demo ready in ${seconds()} s: ${stats.by_resource_type.host} hosts and ${stats.by_resource_type.rds} databases`);
    say(`  console  ${url}/console/`);
    say(`  token    ${token}   (admin; paste it on the sign-in page)`);
    say(`  API      ${url}/docs`);
    say('The clouds notify the server of every change below (Aliyun and Tencent: CloudEvents; Huawei: SMN; vSphere: its change');
    say('feed), so each shows in the console within seconds; every secret also syncs fully every minute. Ctrl-C to stop.');
    if (!copied) builder = buildTemplateInBackground(say);
  } catch (error) {
    if (stopping) return;
    say(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

/**
 * Builds the database template for the next runs in a child process (the
 * clouds in this one keep answering), at low priority: the demo is in use.
 */
function buildTemplateInBackground(say: (line: string) => void): ChildProcess {
  say('database: building a migrated template in the background, so that the next runs start faster');
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', join(__dirname, 'build-template.ts')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    setPriority(child.pid!, 19);
  } catch {
    // not allowed here: it runs at normal priority
  }
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  child.once('exit', (code, signal) => {
    if (code === 0) say('database: template ready for the next runs');
    else if (!signal) say(`database: building the template failed (exit ${code}): ${errors.trim()}`);
  });
  return child;
}

/** A socket listening on 127.0.0.1 at a free port, for a simulator to take over. */
function listeningSocket(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const socket = createServer();
    socket.once('error', reject);
    socket.listen(0, '127.0.0.1', () => resolve(socket));
  });
}

function startServer(
  dataDir: string,
  token: string,
  settings: Record<string, string>,
  onSpawn: (child: ChildProcess) => void,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--max-old-space-size=512', MAIN], {
    env: {
      ...process.env,
      ...settings,
      PORT: process.env.PORT ?? '3000',
      HOST: process.env.HOST ?? '127.0.0.1',
      LOG_LEVEL: 'warn',
      CMDB_DATA_DIR: dataDir,
      CMDB_ADMIN_TOKEN: token,
      // A key of this run only: the data dir keeps no key file, and the server no warning about one.
      CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CMDB_SYNC_CONCURRENCY: '4',
      CMDB_SYNC_POLL_MS: '500',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  onSpawn(child);
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

void main();
