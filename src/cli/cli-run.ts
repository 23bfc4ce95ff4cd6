/**
 * What the command-line tools share: the configured database, migrated, closed whatever happens;
 * a refusal of the domain (DomainError) printed for the operator with exit code 1, anything else
 * thrown on; and the options a command cannot do without.
 */
import { readConfig, type Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { migrate, openDb, type Db } from '../store/db.ts';

/** Runs `work` on the configured database, migrated first, and closes it after. */
export async function withMigratedDb(
  work: (db: Db, config: Config) => Promise<void>,
  options: { config?: Config; poolSize?: number } = {},
): Promise<void> {
  const config = options.config ?? readConfig();
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
  });
  try {
    await migrate(db);
    await work(db, config);
  } finally {
    await db.close();
  }
}

/**
 * Prints a DomainError's message (and, given `detail`, a line for each of its details) on stderr
 * and sets exit code 1; any other error is thrown on.
 */
export function reportDomainError(
  error: unknown,
  detail?: (d: { path: string; message: string }) => string,
): void {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  if (detail) for (const d of error.details) console.error(detail(d));
  process.exitCode = 1;
}

/** The value of a string option `--name` that must be given; a DomainError when it is not. */
export function requiredOption(values: Readonly<Record<string, unknown>>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new DomainError('invalid_input', `--${name} krävs.`);
  return value;
}
