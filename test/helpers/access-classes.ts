/**
 * The routes of the running app (its OpenAPI document and FHIR CapabilityStatement), plausible
 * bodies for them, a snapshot of every table, and a world with a patient, a stranger and a log
 * reviewer: for the access class tests (test/access-classes*.test.ts).
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { luhnCheckDigit } from '../../src/domain/personnummer.ts';
import type { Db } from '../../src/store/db.ts';
import { login, withActiveContract } from './api.ts';
import { makeProvider, makeStaff, makeUnit, sampleContent } from './factories.ts';
import { mobileCareBodyFor } from './mobile-care.ts';

export const MISSING = '00000000-0000-4000-8000-000000000000';
export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The writes a patient makes in their own plan: the headings of docs/patient-api.md, and consent and spärr. */
export const patientWrites: ReadonlySet<string> = new Set(
  [
    ...readFileSync(new URL('../../docs/patient-api.md', import.meta.url), 'utf8').matchAll(
      /^### `(POST|PUT|PATCH|DELETE) (\S+)`/gm,
    ),
  ].map((m) => `${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`),
);

export function makePersonnummer(): string {
  const date = `${randomInt(50, 90)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}`;
  const nine = `${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return `19${date}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

/** Every route of the OpenAPI document, as [method, path]. */
export async function apiRoutes(app: FastifyInstance): Promise<(readonly [string, string])[]> {
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => [m.toUpperCase(), path] as const),
  );
}

/** The CapabilityStatement's resource types with their interactions. */
export async function fhirResources(
  app: FastifyInstance,
): Promise<{ type: string; interactions: string[] }[]> {
  const cap = (await app.inject({ method: 'GET', url: '/fhir/metadata' })).json<{
    rest: { resource: { type: string; interaction: { code: string }[] }[] }[];
  }>();
  return cap.rest[0]!.resource.map((r) => ({ type: r.type, interactions: r.interaction.map((i) => i.code) }));
}

/** Every table's row count and content hash, but the log and the sessions (which a request may write). */
export async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE'
       and table_name not in ('access_log', 'access_log_head', 'session', 'oidc_login')
     order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await db.query<{ n: number; h: string | null }>(
      `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from "${name}" t`,
    );
    out[name] = `${rows[0]!.n}:${rows[0]!.h ?? ''}`;
  }
  return out;
}

/** A plausible body for each write route, so that the access decision, not the schema, answers. */
export function bodyFor(method: string, path: string, unitId: string, staffId: string): unknown {
  const mobileCare = mobileCareBodyFor(path);
  if (mobileCare !== null) return mobileCare;
  // A personnummer alone: the population register gives the rest (refused by role before it is asked).
  if (path === '/api/patients') return { identifier: makePersonnummer() };
  if (path.endsWith('/contract'))
    return { status: method === 'PUT' ? 'ended' : 'active', content: sampleContent(unitId) };
  if (path.endsWith('/care-contacts')) return { role: 'behandlande-roll', staffId, unitId };
  if (path.includes('/care-contacts/')) return { phone: '010-1' };
  if (path.endsWith('/consents')) return { scope: 'unit', unitId, method: 'i-person' };
  if (path.endsWith('/blocks')) return { scope: 'unit', unitId };
  if (path.endsWith('/lift')) return { patientConsent: { method: 'i-person' } };
  if (path.includes('/responsibilities/')) return { done: true };
  if (path.endsWith('/next-contact/response'))
    return { response: 'wants-other', at: '2026-12-01T09:00:00.000Z', message: 'Annan tid' };
  if (path.endsWith('/proposals')) return { whatMatters: 'Trädgården' };
  if (path.endsWith('/self-assessments'))
    return {
      questionSetId: 'skr-7-fragor-patient',
      questionSetVersion: 1,
      items: [{ questionId: 'p1', answer: 'ja' }],
    };
  if (path.endsWith('/merge')) return { identifier: makePersonnummer() };
  if (path.endsWith('/death')) return { deceasedOn: '2026-12-01' };
  if (path.endsWith('/proxies'))
    return { personnummer: makePersonnummer(), givenName: 'Ida', familyName: 'Ombud', validTo: '2099-12-31' };
  if (path === '/api/access/care-relationship')
    return { identifier: makePersonnummer(), reason: 'Hembesök idag' };
  if (path === '/api/access/consent')
    return { identifier: makePersonnummer(), consent: { scope: 'unit', unitId, method: 'i-person' } };
  if (path.startsWith('/api/access/emergency'))
    return { identifier: makePersonnummer(), confirmationToken: '1.x', reason: 'Medvetslös i akuten' };
  if (path.startsWith('/api/audit/')) return { conclusion: 'ok', entrySeqs: [1] };
  return {};
}

export const urlOf = (path: string, patientId: string, ids: Record<string, string> = {}): string =>
  path.replace('{patientId}', patientId).replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? MISSING);

/** A plan drawn up by the nurse for a patient who logs in with a personnummer. */
export async function setUp(app: FastifyInstance, db: Db) {
  const { w, nurse, contractId } = await withActiveContract(app, db);
  const personnummer = makePersonnummer().replace('-', '');
  await db.query("update patient set identifier = $1, identifier_kind = 'personnummer' where id = $2", [
    personnummer,
    w.patientId,
  ]);
  const patient = await login(app, { personnummer });
  const otherProvider = await makeProvider(db, 'kommun');
  const strangerUnit = await makeUnit(db, otherProvider);
  const stranger = await login(app, { hsaId: await makeStaff(db, strangerUnit) });
  const strangerId = (await stranger.get('/api/me')).json<{ staffId: string }>().staffId;
  const reviewerId = await makeStaff(db, w.unitId, 'administrator');
  await db.query("update staff_unit set role = 'loggansvarig' where staff_id = $1", [reviewerId]);
  const reviewer = await login(app, { hsaId: reviewerId });
  return { w, nurse, contractId, patient, personnummer, stranger, strangerId, strangerUnit, reviewer };
}

/**
 * A unit of the patient's provider, to be hidden by a spärr: its nurse (and her family name) and
 * a plan with one activity of the nurse's own unit and one of the hidden unit, hers.
 */
export async function hiddenUnitPlan(db: Db, s: { w: { providerId: string; unitId: string } }) {
  const blockedUnit = await makeUnit(db, s.w.providerId);
  const blockedNurse = await makeStaff(db, blockedUnit);
  const [blockedName] = (
    await db.query<{ n: string }>('select family_name as n from staff where id = $1', [blockedNurse])
  ).map((r) => r.n);
  const content = sampleContent(s.w.unitId, {
    activities: [
      { id: 'a1', what: 'Årskontroll', unitId: s.w.unitId, when: '2026-12-01', status: 'planerad' },
      {
        id: 'a-hidden',
        what: 'Samtal',
        unitId: blockedUnit,
        when: '2026-12-02',
        status: 'planerad',
        responsibleStaffId: blockedNurse,
      },
    ],
  });
  return { blockedUnit, blockedNurse, blockedName: blockedName!, content };
}

/** The entries logged as allowed for this actor about the patient; with `clientId`, only that client's. */
export async function allowedEntries(
  db: Db,
  actorId: string,
  patientId: string,
  clientId?: string,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from access_log where actor_id = $1 and patient_id = $2 and outcome = 'allowed'
       and ($3::text is null or client_id = $3)`,
    [actorId, patientId, clientId ?? null],
  );
  return rows[0]!.n;
}
