import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
// @ts-expect-error -- its types sit behind the package's exports map, which moduleResolution "node" does not read (Node does).
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedDatabase {
  url: string;
  pglite: PGlite;
  close(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** A directory on disk (locked while open); omitted means in memory. */
  dataDir?: string;
  /** A dumped data directory to start from (tests load a migrated template). */
  loadDataDir?: Blob | File;
}

/**
 * PGlite in this process, reachable on a loopback port so TypeORM and `pg`
 * talk to it exactly as to a server. It must stay ONE connection: with more it
 * loses writes without an error.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  const lock = options.dataDir ? lockDataDir(resolve(options.dataDir)) : null;
  try {
    const pglite = await PGlite.create({
      dataDir: options.dataDir ? join(resolve(options.dataDir), 'pglite') : 'memory://',
      loadDataDir: options.loadDataDir,
      // Trigram indexes serve the inventory's name search (the InventoryIndexes migration).
      extensions: { pg_trgm },
    });
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    let closed = false;
    return {
      url,
      pglite,
      async close() {
        if (closed) return;
        closed = true;
        await server.stop();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
