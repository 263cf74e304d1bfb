import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/**
 * The better-sqlite3 connection under a TypeORM DataSource on SQLite (TypeORM shares one), for
 * code that must run statements synchronously on it; undefined on any other backend.
 */
export function sqliteConnection(dataSource: DataSource): Database | undefined {
  if (dataSource.options.type !== 'better-sqlite3') return undefined;
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
