import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PREFIX = 'cmdb_';
/** `cmdb_` and 32 random bytes in base64url. */
export const TOKEN_PATTERN = /^cmdb_[A-Za-z0-9_-]{43}$/;
/** Characters kept for display: enough to tell tokens apart, far too few to guess the rest (≥ 200 bits stay secret). */
const DISPLAY_LENGTH = TOKEN_PREFIX.length + 8;

export interface NewToken {
  /** Shown once to its creator, never stored. */
  token: string;
  hash: Buffer;
  prefix: string;
}

export function generateToken(): NewToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), prefix: token.slice(0, DISPLAY_LENGTH) };
}

/**
 * sha256, unsalted and fast, on purpose: tokens are 256 random bits, so there
 * is no dictionary to slow down and no need for a salt (unlike passwords, for
 * which bcrypt/argon2 exist). A fast hash keeps the per-request check cheap and
 * lets the database find the token by its hash through a unique index.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Compares two tokens by their hashes (hashToken's), in constant time whatever the tokens' lengths. */
export function sameHash(presentedHash: Buffer, expectedHash: Buffer): boolean {
  return timingSafeEqual(presentedHash, expectedHash);
}
