import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseKey, SecretCipher } from './secret-cipher';

export interface EncryptionSettings {
  CMDB_ENCRYPTION_KEY?: string;
  CMDB_ENCRYPTION_KEYS_OLD?: string;
  DATABASE_URL?: string;
  CMDB_DATA_DIR: string;
}

export class MissingEncryptionKeyError extends Error {
  constructor() {
    super('CMDB_ENCRYPTION_KEY is required with DATABASE_URL: set it to 32 random bytes, base64 (openssl rand -base64 32)');
    this.name = 'MissingEncryptionKeyError';
  }
}

/**
 * The cipher for credentials at rest. The key comes from CMDB_ENCRYPTION_KEY;
 * on the embedded database with none set, one is generated once into the data
 * dir (mode 0600) and reused; with DATABASE_URL and none set, start-up refuses.
 */
export function loadSecretCipher(settings: EncryptionSettings, warn: (message: string) => void): SecretCipher {
  const oldKeys = (settings.CMDB_ENCRYPTION_KEYS_OLD ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text, index) => parseKey(text, `CMDB_ENCRYPTION_KEYS_OLD[${index}]`));
  if (settings.CMDB_ENCRYPTION_KEY) {
    return new SecretCipher(parseKey(settings.CMDB_ENCRYPTION_KEY, 'CMDB_ENCRYPTION_KEY'), oldKeys);
  }
  if (settings.DATABASE_URL) throw new MissingEncryptionKeyError();
  const dataDir = resolve(settings.CMDB_DATA_DIR);
  const keyFile = join(dataDir, 'encryption.key');
  if (!existsSync(keyFile)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    warn(`CMDB_ENCRYPTION_KEY is not set: generated a key in ${keyFile}. Back it up: without it, stored credentials cannot be read.`);
  }
  chmodSync(keyFile, 0o600);
  return new SecretCipher(parseKey(readFileSync(keyFile, 'utf8'), keyFile), oldKeys);
}
