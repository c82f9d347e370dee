import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';
import { startServerProcess } from '../support/server-process';

/** TCP ports a process listens on (Linux /proc): its socket inodes matched against the kernel's LISTEN table. */
function listeningTcpPorts(pid: number | 'self'): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && inodes.has(fields[9])) ports.push(Number.parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports.sort();
}

/** Whether a client other than the app can open a session on the embedded database's socket. */
async function outsiderGetsIn(socketDir: string): Promise<boolean> {
  const outsider = new Client({ host: socketDir, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5_000 });
  outsider.on('error', () => undefined);
  try {
    await outsider.connect();
    await outsider.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await outsider.end().catch(() => undefined);
  }
}

describe('the embedded database takes no outside connections', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmdb-socket-test-'));
    dataDirs.push(dir);
    return dir;
  };
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('listens on a Unix socket in a 0700 folder of the data directory, opens no TCP port, and serves one client only', async () => {
    const dataDir = newDataDir();
    const portsBefore = listeningTcpPorts('self');
    const database = await startEmbeddedDatabase({ dataDir });
    try {
      expect(database.socketDir).toBe(join(dataDir, 'socket'));
      expect(statSync(database.socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(database.socketDir, '.s.PGSQL.5432')).isSocket()).toBe(true);
      expect(listeningTcpPorts('self')).toEqual(portsBefore);

      const app = new Client({ connectionString: database.url });
      await app.connect();
      try {
        expect((await app.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
        expect(await outsiderGetsIn(database.socketDir)).toBe(false);
      } finally {
        await app.end();
      }
    } finally {
      await database.close();
    }
    expect(readdirSync(join(dataDir, 'socket'))).toEqual([]);
  });

  it('keeps a private temporary socket folder for an in-memory database, removed on close', async () => {
    const database = await startEmbeddedDatabase();
    expect(statSync(database.socketDir).mode & 0o777).toBe(0o700);
    await database.close();
    expect(() => statSync(database.socketDir)).toThrow();
  });

  it('the server keeps its one connection even when idle: its only TCP port is HTTP, and no other client gets in', async () => {
    const dataDir = newDataDir();
    const server = await startServerProcess({ CMDB_DATA_DIR: dataDir, CMDB_SYNC_SCHEDULE: 'off' });
    try {
      const httpPort = Number(new URL(server.url).port);
      expect(listeningTcpPorts(server.child.pid!)).toEqual([httpPort]);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      // Past pg's default idle timeout (10 s), which used to hand the slot to whoever asked next.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(await outsiderGetsIn(join(dataDir, 'socket'))).toBe(false);
      expect((await fetch(`${server.url}/tokens`, { headers: server.headers })).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 240_000); // a first start creates and migrates the database
});
