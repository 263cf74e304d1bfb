import type { MigrationInterface } from 'typeorm';

/**
 * Every schema change, in order. The same migrations run on SQLite and PostgreSQL, so they are
 * written with TypeORM's portable Table API rather than dialect SQL. Feature modules append theirs.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [];
