import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectStartFailure, startServerProcess } from '../support/server-process';

const ANNOUNCEMENT = /created an admin token \(shown once, keep it\): (cmdb_[A-Za-z0-9_-]{43})/g;

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the first admin token', () => {
  it('is generated at the first start on the embedded database, printed once, and never again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cmdb-bootstrap-'));
    try {
      const first = await startServerProcess({ CMDB_DATA_DIR: dataDir, CMDB_ADMIN_TOKEN: '', LOG_LEVEL: 'info' });
      let token: string;
      try {
        const announced = [...first.output().matchAll(ANNOUNCEMENT)];
        expect(announced).toHaveLength(1);
        token = announced[0][1];
        const listed = await fetch(`${first.url}/tokens`, { headers: { authorization: `Bearer ${token}` } });
        expect(listed.status).toBe(200);
        expect(((await listed.json()) as { items: unknown[] }).items).toEqual([
          expect.objectContaining({ name: 'bootstrap-admin', role: 'admin', prefix: token.slice(0, 13) }),
        ]);
        expect((await fetch(`${first.url}/tokens`)).status).toBe(401);
      } finally {
        expect(await first.stop()).toBe(0);
      }
      // Only on stderr, once: not in any JSON log line.
      expect(occurrences(first.output(), token)).toBe(1);

      const second = await startServerProcess({ CMDB_DATA_DIR: dataDir, CMDB_ADMIN_TOKEN: '', LOG_LEVEL: 'info' });
      try {
        expect(second.output()).not.toMatch(ANNOUNCEMENT);
        expect((await fetch(`${second.url}/tokens`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      } finally {
        await second.stop();
      }
      expect(occurrences(second.output(), token)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a CMDB_ADMIN_TOKEN too short to be safe, without printing it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cmdb-bootstrap-'));
    try {
      const result = await expectStartFailure({ CMDB_DATA_DIR: dataDir, CMDB_ADMIN_TOKEN: 'hunter2-hunter2' });
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain('CMDB_ADMIN_TOKEN=(hidden): CMDB_ADMIN_TOKEN must be at least 32 characters');
      expect(result.output).not.toContain('hunter2');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
