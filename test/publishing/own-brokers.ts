import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from '../simulators/vsphere/certificates';

/**
 * A broker process of the test's own on a free port, that the test stops and
 * starts again (same port, same data directory) without touching the
 * machine's service.
 */
export interface OwnBroker {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** A locked-down broker: TLS with the PKI's server certificate, and only these users. */
export interface MosquittoSecurity {
  tls: TestPki;
  users: Record<string, string>;
}

/** `settings`: more mosquitto.conf lines (say, a `max_packet_size`). */
export async function ownMosquitto(security?: MosquittoSecurity, settings: string[] = []): Promise<OwnBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-mosquitto-'));
  // Persistence keeps the subscribers' sessions and retained messages across the restart, as a real deployment does.
  // Started as root, mosquitto would switch to its own user and fail (silently) to write its file in this private dir,
  // losing every session at the restart: it runs as whoever runs the tests.
  // A persistent subscriber must be able to hold a whole backlog: mosquitto's default queue (1,000 per client) drops the rest.
  const lines = [
    `listener ${port} 127.0.0.1`,
    `persistence true`,
    `persistence_location ${dir}/`,
    `max_queued_messages 100000`,
    `user ${userInfo().username}`,
    ...(security ? secured(dir, security) : ['allow_anonymous true']),
    ...settings,
  ];
  writeFileSync(join(dir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
  const scheme = security ? 'mqtts' : 'mqtt';
  return ownBroker(`${scheme}://127.0.0.1:${port}`, port, dir, () => spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' }));
}

function secured(dir: string, { tls, users }: MosquittoSecurity): string[] {
  writeFileSync(join(dir, 'server.pem'), tls.serverCertPem);
  writeFileSync(join(dir, 'server.key'), tls.serverKeyPem, { mode: 0o600 });
  const passwords = join(dir, 'passwords');
  writeFileSync(passwords, '', { mode: 0o600 });
  for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwords, user, password]);
  return [`certfile ${dir}/server.pem`, `keyfile ${dir}/server.key`, 'allow_anonymous false', `password_file ${passwords}`];
}

export async function ownNats(): Promise<OwnBroker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cmdb-nats-'));
  return ownBroker(`nats://127.0.0.1:${port}`, port, dir, () => spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' }));
}

async function ownBroker(url: string, port: number, dir: string, launch: () => ChildProcess): Promise<OwnBroker> {
  let child: ChildProcess | null = null;
  const broker: OwnBroker = {
    url,
    async start() {
      child = launch();
      for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      if (!(await answers(port))) throw new Error(`broker on ${port} did not start`);
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    async destroy() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
