import { randomBytes } from 'node:crypto';
import { DecryptionError, parseKey, SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  const key = randomBytes(32);
  const cipher = new SecretCipher(key);

  it('round-trips a value and never repeats a ciphertext', () => {
    const first = cipher.encrypt('LTAI-secret-value');
    const second = cipher.encrypt('LTAI-secret-value');
    expect(cipher.decrypt(first)).toBe('LTAI-secret-value');
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.toString('utf8')).not.toContain('secret-value');
    expect(first.keyId).toBe(cipher.currentKeyId);
  });

  it.each(['ciphertext', 'iv', 'tag'] as const)('detects a tampered %s', (part) => {
    const sealed = cipher.encrypt('do not change me');
    const tampered = Buffer.from(sealed[part]);
    tampered[0] ^= 0x01;
    expect(() => cipher.decrypt({ ...sealed, [part]: tampered })).toThrow(DecryptionError);
  });

  it('refuses a value under a key it does not hold, naming the key id', () => {
    const other = new SecretCipher(randomBytes(32));
    const sealed = other.encrypt('x');
    expect(() => cipher.decrypt(sealed)).toThrow(new RegExp(`key ${sealed.keyId}, which is not configured`));
  });

  it('detects a wrong key that claims the right id', () => {
    const sealed = cipher.encrypt('x');
    const impostor = new SecretCipher(randomBytes(32));
    expect(() => impostor.decrypt({ ...sealed, keyId: impostor.currentKeyId })).toThrow(/failed authentication/);
  });

  it('reads values under an old key of its key ring, and writes under the new one', () => {
    const oldCipher = new SecretCipher(key);
    const sealed = oldCipher.encrypt('old');
    const rotated = new SecretCipher(randomBytes(32), [key]);
    expect(rotated.decrypt(sealed)).toBe('old');
    expect(rotated.encrypt('new').keyId).not.toBe(oldCipher.currentKeyId);
  });

  it('parses keys as base64 or hex, and rejects anything else', () => {
    expect(parseKey(key.toString('base64'), 'K').equals(key)).toBe(true);
    expect(parseKey(key.toString('hex'), 'K').equals(key)).toBe(true);
    expect(() => parseKey(randomBytes(16).toString('base64'), 'K')).toThrow('K must be 32 bytes');
    expect(() => parseKey('not a key at all!', 'K')).toThrow('K must be 32 bytes');
  });
});
