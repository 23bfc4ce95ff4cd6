/** Builds the app on a test database and logs users in through the development login. */
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/services/audit-key.ts';
import type { Db } from '../../src/store/db.ts';
import type { TestEngine } from './engines.ts';
import { assertValidFhirResponse } from './fhir-validator.ts';
import { makeWorld, sampleContent } from './factories.ts';

/**
 * `env` adds settings; rate limits stay off unless a test passes `RATE_LIMIT: 'on'`. `webRoot`
 * is the built web app to serve (default web/dist, which exists only after a build).
 */
export async function buildTestApp(
  db: Db,
  clock?: () => Date,
  env: NodeJS.ProcessEnv = {},
  options: { webRoot?: string } = {},
): Promise<FastifyInstance> {
  const config = readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off', ...env });
  const { app } = await buildApp({
    db,
    config,
    auditKey: DEVELOPMENT_AUDIT_KEY,
    ...(clock ? { clock } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  validateFhirAnswers(app);
  return app;
}

/**
 * Every FHIR answer a test receives through `inject` is validated against the R4 base
 * definitions and invariants by an independent validator (./fhir-validator.ts): an invalid one
 * fails the test that received it.
 */
function validateFhirAnswers(app: FastifyInstance): void {
  const inject = app.inject.bind(app);
  const validating = (opts?: InjectOptions | string, callback?: unknown) => {
    if (opts === undefined || callback !== undefined)
      return (inject as (o: unknown, c: unknown) => unknown)(opts, callback);
    return inject(opts).then((res) => {
      assertValidFhirResponse(opts, res);
      return res;
    });
  };
  app.inject = validating as FastifyInstance['inject'];
}

/**
 * A suite's database and app: opened before its tests, closed after them. Inside a `describe`:
 *
 *   let db: Db;
 *   let app: FastifyInstance;
 *   openTestApp(engine, (opened) => ({ db, app } = opened));
 *
 * `env` (read when the suite starts, after earlier `before` hooks) configures the app.
 */
export function openTestApp(
  engine: TestEngine,
  use: (opened: { db: Db; app: FastifyInstance }) => void,
  options: { env?: () => NodeJS.ProcessEnv } = {},
): void {
  let opened: { db: Db; app: FastifyInstance } | undefined;
  before(async () => {
    const db = await engine.open();
    opened = { db, app: await buildTestApp(db, undefined, options.env?.()) };
    use(opened);
  });
  after(async () => {
    await opened?.app.close();
    await opened?.db.close();
  });
}

export interface Client {
  /** The Cookie header of the session. */
  cookie: string;
  /** The session's CSRF token; `send` puts it in the X-CSRF-Token header. */
  csrfToken: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  send(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** A client with a session cookie for the given staff member (or patient personnummer). */
export async function login(
  app: FastifyInstance,
  who: { hsaId: string; unitId?: string } | { personnummer: string },
): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/auth/dev/login', payload: who });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'pk_session');
  if (!cookie) throw new Error('no session cookie');
  const cookieHeader = `pk_session=${cookie.value}`;
  const { csrfToken } = res.json<{ csrfToken?: string }>();
  if (!csrfToken) throw new Error('no CSRF token in the login answer');
  return {
    cookie: cookieHeader,
    csrfToken,
    get: (url, headers = {}) =>
      app.inject({ method: 'GET', url, headers: { cookie: cookieHeader, ...headers } }),
    send: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookieHeader, 'x-csrf-token': csrfToken, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  };
}

/**
 * The usual start of an API test: a fresh world (factories.ts#makeWorld), its nurse logged in,
 * and an active contract for its patient drawn up by her (version 1, id `contractId`).
 */
export async function withActiveContract(
  app: FastifyInstance,
  db: Db,
): Promise<{ w: Awaited<ReturnType<typeof makeWorld>>; nurse: Client; contractId: string }> {
  const w = await makeWorld(db);
  const nurse = await login(app, { hsaId: w.nurseId });
  const res = await nurse.send('POST', `/api/patients/${w.patientId}/contract`, {
    status: 'active',
    content: sampleContent(w.unitId),
  });
  if (res.statusCode !== 201) throw new Error(`contract not created: ${res.statusCode} ${res.body}`);
  return { w, nurse, contractId: res.json<{ id: string }>().id };
}
