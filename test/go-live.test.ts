/**
 * The go-live drill (issue 18): a region goes from an empty database to its own staff logging in
 * through OpenID Connect, doing only what docs/operations.md says, with the product's own
 * commands: `npm run import -- directory …` (a dry run, the sync, the same file again), the
 * population register with person rows and listings, the diagnoses, then the server (in
 * production mode, OIDC against a real provider) and a login by HTTP. A second directory file
 * ends one nurse's assignment: the sync asks for `--confirm-ends` (one of five is over 10 %),
 * and the nurse is refused at her next request.
 *
 * Nothing is written to the database by the test: every write goes through a CLI or a route.
 * The test reads the database only to check what the commands did.
 *
 * PostgreSQL (TEST_DATABASE_URL): a new database of its own, created here and dropped after.
 * PGlite: a new DATA_DIR; the CLIs run before the server opens it (PGlite is one process's
 * database), so there the second file goes through `POST /api/directory/sync` by the
 * systemförvaltare the first file named, the route the document gives for that.
 *
 * The people are Skatteverket test personnummer (data/skatteverket-testpersonnummer.csv); the
 * files are test/fixtures/go-live/.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { openDb, type Db } from '../src/store/db.ts';
import {
  authorizeAt,
  browser,
  STAFF_CLAIM,
  startTestIdp,
  type Browser,
  type TestIdp,
} from './helpers/oidc-provider.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test/fixtures/go-live');
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

const NURSE = 'SE2321000000-GLP1';
const LEAVING_NURSE = 'SE2321000000-GLP2';
const SYSTEM_ADMIN = 'SE2321000000-GLP4';
const UNIT = 'SE2321000000-GLE1';
/** Listed at the vårdcentral by the register file, with a fast läkarkontakt and two diagnoses. */
const LISTED_PNR = '195101151818';
/** In the register (a person row) but not listed: a patient only once registered. */
const REGISTER_ONLY_PNR = '195103181870';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run import -- …args` as an operator would, with `env` as the server's settings. */
const npmImport = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'import', '--', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

interface FreshDatabase {
  /** DATABASE_URL or DATA_DIR, as the server and the CLIs are given it. */
  env: NodeJS.ProcessEnv;
  open(): Promise<Db>;
  drop(): Promise<void>;
}

async function freshPostgres(url: string): Promise<FreshDatabase> {
  const name = `golive_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: databaseUrl.href },
    open: () => openDb({ databaseUrl: databaseUrl.href, poolSize: 8 }),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function freshPglite(): Promise<FreshDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-golive-'));
  const dataDir = join(dir, 'pglite');
  return {
    env: { DATA_DIR: dataDir },
    open: () => openDb({ dataDir }),
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

const engines = [
  { name: 'pglite', fresh: freshPglite },
  ...(testDatabaseUrl ? [{ name: 'postgres', fresh: () => freshPostgres(testDatabaseUrl) }] : []),
];

// The engines side by side: most of the time is spent waiting for the CLIs.
describe('go-live', { concurrency: true }, () => {
  for (const engine of engines) {
    describe(
      `from an empty database on ${engine.name}, following docs/operations.md`,
      { concurrency: 1 },
      () => {
        let database: FreshDatabase;
        let env: NodeJS.ProcessEnv;
        let db: Db | undefined;
        let app: FastifyInstance | undefined;
        let server: Server;
        let appBase: string;
        let idp: TestIdp;
        let patientId: string;

        before(async () => {
          database = await engine.fresh();
          server = createServer();
          appBase = `http://127.0.0.1:${await listen(server)}`;
          idp = await startTestIdp([`${appBase}/auth/staff/callback`]);
          const client = idp.clients[0]!;
          // "Starting": the production settings, and the OIDC settings of the README.
          const { DATABASE_URL: _url, DATA_DIR: _dir, TEST_DATABASE_URL: _test, ...inherited } = process.env;
          env = {
            ...inherited,
            ...database.env,
            NODE_ENV: 'production',
            AUDIT_KEY: randomBytes(32).toString('base64url'),
            AUDIT_CHECKPOINT_FILE: 'off',
            SESSION_SECRET: randomBytes(32).toString('base64url'),
            PUBLIC_BASE_URL: appBase,
            LOG_LEVEL: 'silent',
            OIDC_STAFF_ISSUER: idp.issuer,
            OIDC_STAFF_CLIENT_ID: client.clientId,
            OIDC_STAFF_CLIENT_SECRET: client.clientSecret,
            OIDC_STAFF_REDIRECT_URI: client.redirectUri,
            OIDC_STAFF_HSA_CLAIM: STAFF_CLAIM,
          };
          idp.setAccount('anna', { [STAFF_CLAIM]: NURSE });
          idp.setAccount('karin', { [STAFF_CLAIM]: LEAVING_NURSE });
          idp.setAccount('eva', { [STAFF_CLAIM]: SYSTEM_ADMIN });
        });
        after(async () => {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
          await app?.close();
          await db?.close();
          await idp.close();
          await database.drop();
        });

        /** A read-only look at the database (only once the CLIs are done on PGlite). */
        const count = async (table: string, where = 'true'): Promise<number> =>
          (await db!.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`))[0]!.n;

        /** The server, as `npm start` builds it (src/server.ts: open, migrate, buildApp). */
        const startServer = async (): Promise<void> => {
          db ??= await database.open();
          const config = readConfig(env);
          assert.equal(config.isProduction, true);
          assert.equal(config.seedDemo, false);
          ({ app } = await buildApp({ db, config, auditKey: config.auditKey! }));
          server.on('request', (req, res) => app!.routing(req, res));
        };

        /** `/auth/staff/login` → the provider → the callback; returns the callback's answer. */
        const logIn = async (b: Browser, account: string): Promise<Response> => {
          const start = await b.request(`${appBase}/auth/staff/login`);
          assert.equal(start.status, 302);
          return b.request(await authorizeAt(b, start.headers.get('location')!, account));
        };

        const csrfOf = async (b: Browser): Promise<string> => {
          const res = await b.request(`${appBase}/auth/csrf`);
          assert.equal(res.status, 200);
          return ((await res.json()) as { csrfToken: string }).csrfToken;
        };

        it('loads the directory from the HSA file: a dry run first, then the sync; the same file again changes nothing', async () => {
          const file = join(fixtures, 'hsa-katalog.json');
          const dry = await npmImport(env, 'directory', file, '--dry-run');
          assert.equal(dry.code, 0, dry.stderr);
          assert.match(dry.stdout, /medarbetaruppdrag: 5 nya, 0 ändrade, 0 avslutade/);
          assert.match(dry.stdout, /inget skrevs/);
          const sync = await npmImport(env, 'directory', file);
          assert.equal(sync.code, 0, sync.stderr);
          assert.match(sync.stdout, /vårdgivare: 1 nya/);
          assert.match(sync.stdout, /enheter: 2 nya/);
          assert.match(sync.stdout, /personer: 5 nya/);
          assert.match(sync.stdout, /Synkronisering \d+ klar för SE2321000000-GL01/);
          // The nightly run of an unchanged file changes nothing (once: each run of the CLI on PGlite
          // opens and migrates the database, a few seconds on a busy machine).
          if (engine.name === 'postgres') {
            const again = await npmImport(env, 'directory', file);
            assert.equal(again.code, 0, again.stderr);
            for (const kind of ['vårdgivare', 'enheter', 'personer', 'medarbetaruppdrag'])
              assert.match(again.stdout, new RegExp(`${kind}: 0 nya, 0 ändrade, 0 avslutade`));
          }
        });

        it('imports the population register (person rows and listings) and the diagnoses', async () => {
          const population = await npmImport(env, 'population', join(fixtures, 'folkbokforing.csv'));
          assert.equal(population.code, 0, population.stderr);
          assert.match(population.stdout, /8 rader lästa, 8 nya, .*3 nya personer, 0 fel/);
          const diagnoses = await npmImport(env, 'diagnoses', join(fixtures, 'diagnoser.csv'));
          assert.equal(diagnoses.code, 0, diagnoses.stderr);
          assert.match(diagnoses.stdout, /3 rader lästa, 3 nya, .*0 fel/);
          if (engine.name === 'postgres') {
            // The same register file again: nothing new (the next delivery of an unchanged extract).
            const again = await npmImport(env, 'population', join(fixtures, 'folkbokforing.csv'));
            assert.equal(again.code, 0, again.stderr);
            assert.match(again.stdout, /8 rader lästa, 0 nya, 0 ändrade, 8 fanns redan, 0 fel/);
          }
        });

        it('starts in production with no demo data: the directory, the register and the patients are the files', async () => {
          await startServer();
          assert.equal(await count('care_provider'), 1);
          assert.equal(await count('care_unit'), 2);
          assert.equal(await count('staff'), 5);
          assert.equal(await count('patient'), 3);
          assert.equal(await count('population_person'), 4);
          assert.equal(await count('patient_diagnosis'), 3);
          assert.equal(await count('contract'), 0);
          const health = await fetch(`${appBase}/api/health`);
          assert.equal(health.status, 200);
          // The development login is off in production.
          const dev = await fetch(`${appBase}/auth/dev/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: appBase },
            body: JSON.stringify({ hsaId: NURSE }),
          });
          assert.equal(dev.status, 403);
        });

        it("logs a nurse in through OIDC and shows a listed patient's overview with the register's name and the diagnoses", async () => {
          const anna = browser();
          const callback = await logIn(anna, 'anna');
          assert.equal(callback.status, 302);
          assert.equal(callback.headers.get('location'), '/');
          const me = await anna.request(`${appBase}/api/me`);
          assert.equal(me.status, 200);
          const actor = (await me.json()) as { kind: string; staffId: string; unitId: string };
          assert.deepEqual([actor.kind, actor.staffId, actor.unitId], ['staff', NURSE, UNIT]);

          const search = await anna.request(`${appBase}/api/patients?q=${LISTED_PNR}`);
          assert.equal(search.status, 200);
          const hits = ((await search.json()) as { patients: { id: string }[] }).patients;
          assert.equal(hits.length, 1);
          patientId = hits[0]!.id;
          const overview = await anna.request(`${appBase}/api/patients/${patientId}/overview`);
          assert.equal(overview.status, 200);
          const body = JSON.stringify(await overview.json());
          assert.match(body, /Sven/);
          assert.match(body, /Holm/);
          assert.match(body, /I50\.9/);
          assert.match(body, /SE2321000000-GLP3/, 'the register file named Per Lind fast läkarkontakt');
          assert.ok(
            (await count('access_log', `patient_id = '${patientId}' and actor_id = '${NURSE}'`)) >= 2,
            'the search hit and the overview are in the access log',
          );
        });

        it('registers a person on first contact by personnummer alone: name and address from the register', async () => {
          const anna = browser();
          await logIn(anna, 'anna');
          const res = await anna.request(`${appBase}/api/patients`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              origin: appBase,
              'x-csrf-token': await csrfOf(anna),
            },
            body: JSON.stringify({ identifier: REGISTER_ONLY_PNR }),
          });
          const text = await res.text();
          assert.equal(res.status, 201, text);
          assert.match(text, /Gösta/);
          assert.equal(await count('patient'), 4);
        });

        it('gives the product role from the file: the systemförvaltare sees the sync runs', async () => {
          const eva = browser();
          assert.equal((await logIn(eva, 'eva')).status, 302);
          const runs = await eva.request(`${appBase}/api/directory/syncs`);
          assert.equal(runs.status, 200);
          // A nurse has no such role.
          const anna = browser();
          await logIn(anna, 'anna');
          assert.equal((await anna.request(`${appBase}/api/directory/syncs`)).status, 403);
        });

        it('refuses a nurse at her next request once the next directory file ends her assignment', async () => {
          const karin = browser();
          assert.equal((await logIn(karin, 'karin')).status, 302);
          assert.equal((await karin.request(`${appBase}/api/patients/${patientId}/overview`)).status, 200);
          const anna = browser();
          await logIn(anna, 'anna');

          const file = join(fixtures, 'hsa-katalog-2.json');
          if (engine.name === 'postgres') {
            // The nightly sync, from the command line while the server runs.
            const asked = await npmImport(env, 'directory', file);
            assert.equal(asked.code, 1);
            assert.match(asked.stdout, /avslutas: SE2321000000-GLP2 på SE2321000000-GLE1/);
            assert.match(asked.stdout, /--confirm-ends/);
            assert.equal((await karin.request(`${appBase}/api/patients/${patientId}/overview`)).status, 200);
            const confirmed = await npmImport(env, 'directory', file, '--confirm-ends');
            assert.equal(confirmed.code, 0, confirmed.stderr);
            assert.match(confirmed.stdout, /medarbetaruppdrag: 0 nya, 0 ändrade, 1 avslutade/);
          } else {
            // The systemförvaltare posts the file (PGlite: the server holds the database).
            const eva = browser();
            await logIn(eva, 'eva');
            const csrf = await csrfOf(eva);
            const text = await readFile(file, 'utf8');
            const post = (query: string) =>
              eva.request(`${appBase}/api/directory/sync${query}`, {
                method: 'POST',
                headers: { 'content-type': 'application/fhir+json', origin: appBase, 'x-csrf-token': csrf },
                body: text,
              });
            const asked = await post('');
            assert.equal(asked.status, 409);
            assert.equal(((await asked.json()) as { status: string }).status, 'needs-confirmation');
            const dry = await post('?dryRun=1&confirmEnds=1');
            assert.equal(dry.status, 200);
            assert.equal(((await dry.json()) as { status: string }).status, 'dry-run');
            assert.equal((await karin.request(`${appBase}/api/patients/${patientId}/overview`)).status, 200);
            const confirmed = await post('?confirmEnds=1');
            assert.equal(confirmed.status, 200);
            assert.equal(((await confirmed.json()) as { status: string }).status, 'synced');
          }

          assert.equal((await karin.request(`${appBase}/api/patients/${patientId}/overview`)).status, 401);
          assert.equal((await karin.request(`${appBase}/api/me`)).status, 401);
          assert.equal((await anna.request(`${appBase}/api/patients/${patientId}/overview`)).status, 200);
          // Logging in again does not give her a session either.
          const again = browser();
          const refused = await logIn(again, 'karin');
          assert.equal(refused.status, 403);
          const refusal = (await refused.json()) as { error: { code: string; message: string } };
          assert.equal(refusal.error.code, 'forbidden');
          assert.equal(again.cookie('pk_session'), undefined);
          // Ended, not deleted: the history and the access log still name her.
          assert.equal(await count('staff', `id = '${LEAVING_NURSE}'`), 1);
          assert.equal(
            await count('staff_unit', `staff_id = '${LEAVING_NURSE}' and ended_at is not null`),
            1,
          );
        });
      },
    );
  }
});
