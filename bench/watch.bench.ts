import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startServerProcess } from '../test/support/server-process';
import { freshDatabase } from './support/bench-database';
import { startChildSimulator } from './support/child-simulator';
import { serverApi } from './support/server-api';
import { cpuSeconds, option, peakRssMib, productionNodeFlags } from './support/bench-process';
import { percentile } from './support/delays';

/**
 * `npm run bench -- watch [--runs 1000x1000,10000x100]` (or `npm run bench:watch`; build first:
 * it runs the built server). Each run, `HOSTSxWATCHERS`: a server process on
 * a fresh PostgreSQL database, that many SSE watchers on GET /watch from the
 * current revision, then one full sync that creates that many hosts (one
 * change each). Prints the events lost (expected minus received, must be 0),
 * duplicates or out-of-order events, the p50/p99 delay from a change's
 * commit (its changed_at, taken just before the commit) to its arrival at the
 * watcher, the server's CPU seconds during the run and its peak RSS.
 * The watchers run in this one process: on a small machine they compete with
 * the server for CPU, and their own parsing is part of the delay.
 */
const EMPTY = Buffer.alloc(0);
const ID_LINE = Buffer.from('id: ');
const ERROR_LINE = Buffer.from('event: ERROR');
const BOOKMARK_LINE = Buffer.from('event: BOOKMARK');

function startsAt(bytes: Buffer, marker: Buffer, at: number): boolean {
  return at + marker.length <= bytes.length && bytes.compare(marker, 0, marker.length, at, at + marker.length) === 0;
}

/**
 * One watcher: counts events, checks their order, and notes each one's delay.
 * It reads bytes, never whole objects or decoded text: a thousand of them
 * share this one process, and their reading is part of the delay measured.
 */
class BenchWatcher {
  received = 0;
  disorder = 0;
  errors: string[] = [];
  last: number;
  /** How often the server cut it off and it resumed. */
  resumed = 0;
  private stopped = false;
  private pending: Buffer = EMPTY;
  private close: () => void = () => undefined;

  constructor(
    private readonly delays: number[],
    from: number,
  ) {
    this.last = from;
  }

  /** Opens the stream; when the server ends it (TooSlow), it resumes after its last event, as an SSE client does with Last-Event-ID. */
  open(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const resume = this.resumed > 0 || this.errors.length > 0 ? { 'Last-Event-ID': String(this.last) } : {};
      const req = request(url, { headers: { ...headers, ...resume, Accept: 'text/event-stream' }, agent: false }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`watch answered ${response.statusCode}`));
        response.on('data', (chunk: Buffer) => this.feed(chunk, Date.now()));
        response.on('end', () => {
          if (this.stopped) return;
          this.resumed++;
          this.pending = EMPTY;
          this.open(url, headers).catch((error: unknown) => this.errors.push(`resume failed: ${String(error)}`));
        });
        this.close = () => response.destroy();
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  private feed(chunk: Buffer, now: number): void {
    let from = 0;
    if (this.pending.length > 0) {
      // Only the event cut in two is joined: copying each whole chunk onto the rest would copy every byte again.
      const end = chunk.indexOf('\n\n');
      if (end < 0) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return;
      }
      this.scan(Buffer.concat([this.pending, chunk.subarray(0, end + 2)]), now);
      from = end + 2;
    }
    const rest = this.scan(chunk.subarray(from), now);
    this.pending = rest.length > 0 ? Buffer.from(rest) : EMPTY;
  }

  /** Counts each whole event in `bytes`; answers what follows the last one. */
  private scan(bytes: Buffer, now: number): Buffer {
    let start = 0;
    let end: number;
    for (; (end = bytes.indexOf('\n\n', start)) >= 0; start = end + 2) {
      if (startsAt(bytes, ERROR_LINE, start)) this.errors.push(bytes.toString('utf8', start, end));
      if (!startsAt(bytes, ID_LINE, start)) continue;
      const idEnd = bytes.indexOf('\n', start);
      if (startsAt(bytes, BOOKMARK_LINE, idEnd + 1)) continue;
      const revision = Number(bytes.toString('latin1', start + 4, idEnd));
      if (revision !== this.last + 1) this.disorder++;
      this.last = revision;
      this.received++;
      const at = bytes.indexOf('"changed_at":"', idEnd);
      if (at >= 0 && at < end) this.delays.push(now - Date.parse(bytes.toString('latin1', at + 14, at + 38)));
    }
    return bytes.subarray(start);
  }
}

async function run(hosts: number, watchers: number): Promise<void> {
  const simulator = await startChildSimulator(['--vendors', 'huawei', '--hosts', String(hosts), '--databases', '0', '--regions', 'cn-north-4']);
  const database = await freshDatabase('cmdb_bench_watch');
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CMDB_SYNC_SCHEDULE: 'off',
    NODE_OPTIONS: productionNodeFlags(),
  });
  const api = serverApi(server);
  const clients: BenchWatcher[] = [];
  try {
    const secret = await api('POST', '/secrets', {
      name: 'bench',
      vendor: 'huawei',
      api_key: simulator.endpoint.apiKey,
      api_secret: simulator.endpoint.apiSecret,
      allow_regions: ['cn-north-4'],
      address: simulator.endpoint.address,
      request_rate: 100,
    });
    const from: number = (await api('GET', '/changes?limit=1')).latest_revision;
    const delays: number[] = [];
    for (let i = 0; i < watchers; i++) {
      const client = new BenchWatcher(delays, from);
      await client.open(`${server.url}/watch?resource_version=${from}`, server.headers);
      clients.push(client);
    }
    const cpuBefore = cpuSeconds(server.child.pid!);
    const watchersCpuBefore = process.cpuUsage();
    const started = Date.now();
    const job = await api('POST', `/secrets/${secret.id}/sync?details=none`, { region: 'cn-north-4', resource_type: 'host' });
    const syncSeconds = (Date.now() - started) / 1000;
    const expected = job.created + job.updated + job.deleted;
    // Every watcher has all it should get, or nothing arrived for 10 s.
    let lastProgress = Date.now();
    let total = -1;
    while (clients.some((client) => client.received < expected) && Date.now() - lastProgress < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = clients.reduce((sum, client) => sum + client.received, 0);
      if (now !== total) [total, lastProgress] = [now, Date.now()];
    }
    const deliveredSeconds = (Date.now() - started) / 1000;
    const serverCpu = cpuSeconds(server.child.pid!) - cpuBefore;
    const watchersCpu = process.cpuUsage(watchersCpuBefore);
    total = clients.reduce((sum, client) => sum + client.received, 0);
    const lost = clients.reduce((sum, client) => sum + Math.max(0, expected - client.received), 0);
    const disorder = clients.reduce((sum, client) => sum + client.disorder, 0);
    const errors = clients.flatMap((client) => client.errors);
    const resumes = clients.reduce((sum, client) => sum + client.resumed, 0);
    delays.sort((a, b) => a - b);

    console.log(`\n${watchers} SSE watchers on PostgreSQL, one sync changing ${hosts} hosts (${expected} changes)`);
    console.log(`events expected ${expected * watchers}, received ${total}, lost ${lost} (target 0), out of order or duplicated ${disorder}, ERROR events ${errors.length} (each followed by a resume from Last-Event-ID: ${resumes})`);
    console.log(`delay from commit to delivery: min ${delays[0]} ms, p50 ${percentile(delays, 0.5)} ms, p99 ${percentile(delays, 0.99)} ms, max ${delays.at(-1)} ms (target p99 < 500 ms for 1,000 watchers)`);
    console.log(`sync ${syncSeconds.toFixed(1)} s; last event delivered ${deliveredSeconds.toFixed(1)} s after the sync started`);
    console.log(`server: CPU ${serverCpu.toFixed(1)} s during the run, peak RSS ${peakRssMib(server.child.pid!).toFixed(0)} MiB (target < 400)`);
    console.log(`the watchers' process (all ${watchers} in this one): CPU ${((watchersCpu.user + watchersCpu.system) / 1e6).toFixed(1)} s during the run`);
    if (errors.length > 0) console.log(`first ERROR: ${errors[0].replace(/\n/g, ' ')}`);
  } catch (error) {
    console.error(`the server said:\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    for (const client of clients) client.stop();
    await server.stop();
    simulator.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  for (const spec of option('runs', '1000x1000,10000x100').split(',')) {
    const [hosts, watchers] = spec.split('x').map(Number);
    await run(hosts, watchers);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
