import type { EntityManager } from 'typeorm';
import type { SecretCipher } from '../common/crypto/secret-cipher';
import { SecretEntity } from './secret.entity';

/**
 * Re-encrypts every secret under the cipher's current key, in one transaction:
 * either every secret moves to the new key or none does. The old key must be
 * in the key ring (CMDB_ENCRYPTION_KEYS_OLD) to read what is being moved.
 */
export async function reencryptAllSecrets(manager: EntityManager, cipher: SecretCipher): Promise<{ rotated: number; unchanged: number }> {
  return manager.transaction(async (transaction) => {
    const secrets = await transaction.find(SecretEntity, { lock: { mode: 'pessimistic_write' } });
    let rotated = 0;
    for (const secret of secrets) {
      await reencryptWebhookSecret(transaction, cipher, secret);
      if (secret.apiSecretKeyId === cipher.currentKeyId) continue;
      const plaintext = cipher.decrypt({
        ciphertext: secret.apiSecretCiphertext,
        iv: secret.apiSecretIv,
        tag: secret.apiSecretTag,
        keyId: secret.apiSecretKeyId,
      });
      const sealed = cipher.encrypt(plaintext);
      await transaction.update(
        SecretEntity,
        { id: secret.id },
        { apiSecretCiphertext: sealed.ciphertext, apiSecretIv: sealed.iv, apiSecretTag: sealed.tag, apiSecretKeyId: sealed.keyId },
      );
      rotated++;
    }
    return { rotated, unchanged: secrets.length - rotated };
  });
}

/** The webhook secret is sealed with the same keys: it moves with the api secret. */
async function reencryptWebhookSecret(transaction: EntityManager, cipher: SecretCipher, secret: SecretEntity): Promise<void> {
  if (!secret.webhookSecretCiphertext || !secret.webhookSecretIv || !secret.webhookSecretTag || !secret.webhookSecretKeyId) return;
  if (secret.webhookSecretKeyId === cipher.currentKeyId) return;
  const sealed = cipher.encrypt(
    cipher.decrypt({ ciphertext: secret.webhookSecretCiphertext, iv: secret.webhookSecretIv, tag: secret.webhookSecretTag, keyId: secret.webhookSecretKeyId }),
  );
  await transaction.update(
    SecretEntity,
    { id: secret.id },
    { webhookSecretCiphertext: sealed.ciphertext, webhookSecretIv: sealed.iv, webhookSecretTag: sealed.tag, webhookSecretKeyId: sealed.keyId },
  );
}
