/** Settings, all from environment variables. The README lists every one. */
export interface Config {
  port: number;
  host: string;
  /** postgres://… — run on a PostgreSQL server instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder of the embedded PGlite database. */
  dataDir: string;
  isProduction: boolean;
  /** Seed the demo region on first start when the database is empty. */
  seedDemo: boolean;
  demoPatients: number;
  session: { idleSeconds: number; absoluteSeconds: number; secureCookie: boolean };
  logLevel: string;
}

const int = (value: string | undefined, fallback: number): number => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
};

/** Reads the configuration from `env` (process.env by default). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const isProduction = env.NODE_ENV === 'production';
  return {
    port: int(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './data/pglite',
    isProduction,
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO !== 'false' : !isProduction,
    demoPatients: int(env.DEMO_PATIENTS, 2000),
    session: {
      idleSeconds: int(env.SESSION_IDLE_MINUTES, 30) * 60,
      absoluteSeconds: int(env.SESSION_MAX_HOURS, 12) * 3600,
      secureCookie: env.COOKIE_SECURE ? env.COOKIE_SECURE !== 'false' : isProduction,
    },
    logLevel: env.LOG_LEVEL ?? (isProduction ? 'info' : 'warn'),
  };
}
