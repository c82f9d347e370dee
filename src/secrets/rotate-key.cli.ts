import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadSecretCipher } from '../common/crypto/encryption-keys';
import { validateEnvironment } from '../config/environment';
import { dataSourceOptions } from '../database/data-source-options';
import { openDatabase } from '../database/database-handle';
import { reencryptAllSecrets } from './key-rotation';
import { SecretEntity } from './secret.entity';

/**
 * `npm run secrets:rotate-key`, with CMDB_ENCRYPTION_KEY set to the NEW key and
 * CMDB_ENCRYPTION_KEYS_OLD holding the old one. Stop the server first on the
 * embedded database (it holds the data dir's lock).
 */
async function main(): Promise<void> {
  const environment = validateEnvironment(process.env);
  if (!environment.CMDB_ENCRYPTION_KEY) throw new Error('set CMDB_ENCRYPTION_KEY to the new key and CMDB_ENCRYPTION_KEYS_OLD to the old one');
  const cipher = loadSecretCipher(environment, (message) => console.error(message));
  const database = await openDatabase(environment);
  const dataSource = new DataSource(dataSourceOptions(database, { runMigrations: false, entities: [SecretEntity] }));
  await dataSource.initialize();
  try {
    const { rotated, unchanged } = await reencryptAllSecrets(dataSource.manager, cipher);
    console.log(`re-encrypted ${rotated} secrets under key ${cipher.currentKeyId} (${unchanged} already were)`);
  } finally {
    await dataSource.destroy();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`rotate-key: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
