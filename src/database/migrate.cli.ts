import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../config/environment';
import { dataSourceOptions } from './data-source-options';
import { openDatabase } from './database-handle';

const USAGE = 'usage: migrate.cli.ts run | revert | show | generate <Name>';

/**
 * Migrations by hand, on the database the environment names (DATABASE_URL, or
 * the embedded one in CMDB_DATA_DIR: stop the server first, it holds the lock).
 * `generate` writes the SQL that would bring the schema to the entities.
 */
async function main(command: string | undefined, name: string | undefined): Promise<void> {
  if (!command || !['run', 'revert', 'show', 'generate'].includes(command) || (command === 'generate' && !name)) {
    throw new Error(USAGE);
  }
  const environment = validateEnvironment(process.env);
  const database = await openDatabase(environment);
  const dataSource = new DataSource(
    dataSourceOptions(database, { runMigrations: false, entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')] }),
  );
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'nothing to apply');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'show') {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'there are pending migrations' : 'the schema is up to date');
    } else {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log('the entities match the schema: nothing to generate');
        return;
      }
      const timestamp = Date.now();
      const className = `${name}${timestamp}`;
      const quote = (query: string) => '`' + query.replace(/`/g, '\\`') + '`';
      const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n')}
  }
}
`;
      const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
      writeFileSync(file, body);
      console.log(`wrote ${file}: add ${className} to migrations/index.ts`);
    }
  } finally {
    await dataSource.destroy();
    await database.close();
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
