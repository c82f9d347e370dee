import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
// @ts-expect-error -- its types sit behind the package's exports map, which moduleResolution "node" does not read (Node does).
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedDatabase {
  url: string;
  /** The folder (mode 0700) holding the Unix socket the database listens on. */
  socketDir: string;
  pglite: PGlite;
  close(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** A directory on disk (locked while open); omitted means in memory. */
  dataDir?: string;
  /** A dumped data directory to start from (tests load a migrated template). */
  loadDataDir?: Blob | File;
}

/** `pg` looks for `<host>/.s.PGSQL.<port>` when the host is a folder; 5432 is its default port. */
const SOCKET_NAME = '.s.PGSQL.5432';
/** A Unix socket path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * Where the socket lives: `<data dir>/socket`, a folder only this OS user may
 * enter, or a fresh private temporary folder for an in-memory database or a
 * data directory whose path is too long for a socket. The caller removes a
 * temporary one.
 */
function socketFolder(dataDir: string | undefined): { path: string; temporary: boolean } {
  if (dataDir) {
    const path = join(dataDir, 'socket');
    if (join(path, SOCKET_NAME).length <= MAX_SOCKET_PATH) {
      mkdirSync(path, { recursive: true, mode: 0o700 });
      chmodSync(path, 0o700); // an existing folder, or a umask, may have left it wider
      // A socket left by a killed process: the data-dir lock says none is alive.
      rmSync(join(path, SOCKET_NAME), { force: true });
      return { path, temporary: false };
    }
  }
  return { path: mkdtempSync(join(tmpdir(), 'cmdb-pglite-')), temporary: true };
}

/**
 * PGlite in this process, reachable on a Unix socket in a private folder (never
 * a TCP port: PGlite lets any client in as superuser, without a password), so
 * TypeORM and `pg` talk to it exactly as to a server. It must stay ONE
 * connection: with more it loses writes without an error; the socket server
 * turns a second client away while the app holds the one.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const lock = dataDir ? lockDataDir(dataDir) : null;
  let socketDir: { path: string; temporary: boolean } | null = null;
  const removeSocketDir = () => {
    if (socketDir?.temporary) rmSync(socketDir.path, { recursive: true, force: true });
  };
  try {
    const pglite = await PGlite.create({
      dataDir: dataDir ? join(dataDir, 'pglite') : 'memory://',
      loadDataDir: options.loadDataDir,
      // Trigram indexes serve the inventory's name search (the InventoryIndexes migration).
      extensions: { pg_trgm },
    });
    socketDir = socketFolder(dataDir);
    const server = new PGLiteSocketServer({ db: pglite, path: join(socketDir.path, SOCKET_NAME), maxConnections: 1 });
    await server.start();
    const url = `postgresql://postgres@${encodeURIComponent(socketDir.path)}/postgres`;
    let closed = false;
    return {
      url,
      socketDir: socketDir.path,
      pglite,
      async close() {
        if (closed) return;
        closed = true;
        await server.stop();
        await pglite.close();
        removeSocketDir();
        lock?.release();
      },
    };
  } catch (error) {
    removeSocketDir();
    lock?.release();
    throw error;
  }
}
