import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadSecretCipher, MissingEncryptionKeyError } from './encryption-keys';

describe('loadSecretCipher', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'cmdb-keys-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a key once into the data dir with mode 0600 and warns, then reuses it', () => {
    const warnings: string[] = [];
    const first = loadSecretCipher({ CMDB_DATA_DIR: dataDir }, (message) => warnings.push(message));
    const keyFile = join(dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('generated a key');
    expect(warnings[0]).not.toContain(readFileSync(keyFile, 'utf8').trim());

    const second = loadSecretCipher({ CMDB_DATA_DIR: dataDir }, (message) => warnings.push(message));
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(second.decrypt(first.encrypt('kept'))).toBe('kept');
    expect(warnings).toHaveLength(1);
  });

  it('refuses to start on a real PostgreSQL without a key', () => {
    expect(() => loadSecretCipher({ CMDB_DATA_DIR: dataDir, DATABASE_URL: 'postgresql://x/y' }, () => {})).toThrow(MissingEncryptionKeyError);
  });

  it('uses the configured key and old keys for reading', () => {
    const oldKey = randomBytes(32);
    const old = loadSecretCipher({ CMDB_DATA_DIR: dataDir, CMDB_ENCRYPTION_KEY: oldKey.toString('base64') }, () => {});
    const current = loadSecretCipher(
      { CMDB_DATA_DIR: dataDir, CMDB_ENCRYPTION_KEY: randomBytes(32).toString('hex'), CMDB_ENCRYPTION_KEYS_OLD: ` ${oldKey.toString('base64')} ` },
      () => {},
    );
    expect(current.decrypt(old.encrypt('v'))).toBe('v');
    expect(current.currentKeyId).not.toBe(old.currentKeyId);
  });
});
