import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp } from '../support/test-app';

const ANNOUNCEMENT = /created an admin token \(shown once, keep it\): (cmdb_[A-Za-z0-9_-]{43})/g;

// One app in this file: nestjs-pino writes Nest's own log lines to the stream of the first app a file starts.
describe('an app started without CMDB_ADMIN_TOKEN', () => {
  it('generates an admin token on the embedded database; on PostgreSQL it warns and generates nothing', async () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const t = await startTestApp({ CMDB_ADMIN_TOKEN: '' }).finally(() => write.mockRestore());
    try {
      const rows = await t.app.get(DataSource).query(`SELECT name, role FROM api_tokens`);
      const announced = [...printed.join('').matchAll(ANNOUNCEMENT)];
      if (t.database.kind === 'embedded') {
        expect(rows).toEqual([{ name: 'bootstrap-admin', role: 'admin' }]);
        expect(announced).toHaveLength(1);
        const token = announced[0][1];
        const audit = await t.raw.get('/audit').set('Authorization', `Bearer ${token}`).expect(200);
        expect(audit.body.items).toEqual([expect.objectContaining({ action: 'token.created', actor: { token_id: null, name: 'system' } })]);
        for (const line of t.logs) expect(line).not.toContain(token);
      } else {
        expect(rows).toEqual([]);
        expect(announced).toHaveLength(0);
        expect(t.logs.join('')).toContain('no admin token exists');
        await t.raw.get('/secrets').set('Authorization', `Bearer cmdb_${randomBytes(32).toString('base64url')}`).expect(401);
      }
    } finally {
      await t.close();
    }
  });
});
