import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** What the database stores for one encrypted value. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  keyId: string;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** A key's id is derived from the key: the same key always has the same id, and the id tells nothing of it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('cmdb-key-id:').update(key).digest('hex').slice(0, 16);
}

/** Accepts 32 bytes written as base64 (44 chars) or hex (64 chars). */
export function parseKey(text: string, name: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(value) && key.toString('base64') !== value)) {
    throw new Error(`${name} must be 32 bytes written as base64 or hex`);
  }
  return key;
}

/**
 * AES-256-GCM with a key ring: encrypts with the current key, decrypts with
 * whichever key the value names (so old keys stay readable during a rotation).
 */
export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(currentKey: Buffer, oldKeys: Buffer[] = []) {
    this.currentKeyId = keyIdOf(currentKey);
    this.keys.set(this.currentKeyId, currentKey);
    for (const key of oldKeys) this.keys.set(keyIdOf(key), key);
  }

  encrypt(plaintext: string): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag(), keyId: this.currentKeyId };
  }

  decrypt(sealed: SealedValue): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new DecryptionError(
        `the value was encrypted with key ${sealed.keyId}, which is not configured (set it in CMDB_ENCRYPTION_KEY or CMDB_ENCRYPTION_KEYS_OLD)`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(`the value encrypted with key ${sealed.keyId} failed authentication: it was altered, or the key is wrong`);
    }
  }
}
