/**
 * What the benchmark asks of the server: the development login, the overview read and the
 * contract update with If-Match. Each returns a Step for bench/load.ts.
 */
import type { CurrentContract, StaffPick } from './db.ts';
import { describeFailure, type Client, type Step } from './load.ts';

export interface Session {
  hsaId: string;
  cookie: string;
  /** Headers every write sends: the cookie and, when the server issues one, X-CSRF-Token. */
  writeHeaders: Record<string, string>;
  patientIds: string[];
}

/** The CSRF token of a session: from the login answer, else from GET /auth/csrf, else none. */
async function csrfToken(client: Client, cookie: string, loginBody: string): Promise<string | undefined> {
  const fromLogin = /"csrfToken"\s*:\s*"([^"]+)"/.exec(loginBody)?.[1];
  if (fromLogin) return fromLogin;
  const res = await client.request({
    method: 'GET',
    path: '/auth/csrf',
    headers: { cookie },
    keepBody: true,
  });
  return res.status === 200 ? /"csrfToken"\s*:\s*"([^"]+)"/.exec(res.body)?.[1] : undefined;
}

/** Logs in as `pick` through the development login; returns the session cookie. */
export async function login(client: Client, pick: StaffPick): Promise<Session> {
  const res = await client.request({
    method: 'POST',
    path: '/auth/dev/login',
    body: JSON.stringify({ hsaId: pick.hsaId, unitId: pick.unitId }),
    keepBody: true,
  });
  const cookie = (res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('pk_session='));
  if (res.status !== 200 || !cookie) {
    throw new Error(`login as ${pick.hsaId} at ${pick.unitId} failed: ${res.status} ${res.body}`);
  }
  const token = await csrfToken(client, cookie, res.body);
  return {
    hsaId: pick.hsaId,
    cookie,
    writeHeaders: token ? { cookie, 'x-csrf-token': token } : { cookie },
    patientIds: pick.patientIds,
  };
}

const overviewPath = (patientId: string): string => `/api/patients/${patientId}/overview`;

/** Fails loudly unless every session can read its first patient's overview (access rule, data). */
export async function checkReads(client: Client, sessions: Session[]): Promise<void> {
  for (const s of sessions) {
    const id = s.patientIds[0];
    if (!id) throw new Error(`${s.hsaId} has no patients`);
    const res = await client.request({
      method: 'GET',
      path: overviewPath(id),
      headers: { cookie: s.cookie },
      keepBody: true,
    });
    if (res.status !== 200) throw new Error(`overview of ${id} as ${s.hsaId}: ${res.status} ${res.body}`);
  }
}

/** a. The patient overview of a random patient that the worker's staff member may read. */
export function readStep(client: Client, sessions: Session[]): Step {
  return async (worker) => {
    const s = sessions[worker % sessions.length]!;
    const id = s.patientIds[Math.floor(Math.random() * s.patientIds.length)]!;
    const res = await client.request({
      method: 'GET',
      path: overviewPath(id),
      headers: { cookie: s.cookie },
    });
    return res.status === 200 ? null : describeFailure(res);
  };
}

const MARK = '\u0000bench\u0000';

/** One contract being updated: its last known version and a body template around `whatMatters`. */
interface Target {
  patientId: string;
  headers: Record<string, string>;
  version: number;
  base: string;
  /** The JSON body split where the new whatMatters text goes (as escaped JSON string content). */
  parts: [string, string];
}

export interface UpdateWorkload {
  /**
   * A step for `concurrency` workers; each owns a distinct share of the contracts. `via` sends
   * the requests to another server on the same database (A/B comparisons); the versions are
   * shared, so the next step continues where the previous one stopped.
   */
  step(concurrency: number, via?: Client): Step;
  /** Contracts that answered 412 and were re-read (should stay 0). */
  conflicts(): number;
}

/**
 * b. Pure writes: PUT /contract with If-Match. Each worker owns its contracts, so it always
 * knows the current version (from the ETag of its previous answer) and a 412 is an error.
 * The change is a new whatMatters text, so that every version differs from the one before.
 */
export function updateWorkload(
  client: Client,
  sessions: Session[],
  contracts: (CurrentContract & { staff: number })[],
): UpdateWorkload {
  const targets: Target[] = [];
  for (const c of contracts) {
    const headers = sessions[c.staff]?.writeHeaders;
    if (!headers) continue;
    const mark = JSON.stringify(MARK).slice(1, -1);
    const body = JSON.stringify({ status: c.status, content: { ...c.content, whatMatters: MARK } });
    const at = body.indexOf(mark);
    targets.push({
      patientId: c.patientId,
      headers,
      version: c.version,
      base: c.content.whatMatters.replace(/ \(bench \d+\)$/, '').slice(0, 3900),
      parts: [body.slice(0, at), body.slice(at + mark.length)],
    });
  }
  if (targets.length === 0) throw new Error('no contracts to update');
  let counter = 0;
  let conflicts = 0;

  const resync = async (t: Target, via: Client): Promise<void> => {
    const res = await via.request({
      method: 'GET',
      path: `/api/patients/${t.patientId}/contract`,
      headers: t.headers,
    });
    const version = /(\d+)/.exec(String(res.headers.etag ?? ''))?.[1];
    if (version) t.version = Number(version);
  };

  return {
    conflicts: () => conflicts,
    step(concurrency, via = client) {
      if (targets.length < concurrency) {
        throw new Error(`${targets.length} contracts for ${concurrency} workers: raise BENCH_PATIENTS`);
      }
      const owned = Array.from({ length: concurrency }, (_, w) =>
        targets.filter((_, i) => i % concurrency === w),
      );
      const cursor = new Array<number>(concurrency).fill(0);
      return async (worker) => {
        const own = owned[worker]!;
        const turn = cursor[worker] ?? 0;
        cursor[worker] = turn + 1;
        const t = own[turn % own.length]!;
        const text = JSON.stringify(`${t.base} (bench ${++counter})`).slice(1, -1);
        const res = await via.request({
          method: 'PUT',
          path: `/api/patients/${t.patientId}/contract`,
          headers: { ...t.headers, 'if-match': `W/"${t.version}"` },
          body: t.parts[0] + text + t.parts[1],
        });
        const version = /(\d+)/.exec(String(res.headers.etag ?? ''))?.[1];
        if (res.status === 200 && version) {
          t.version = Number(version);
          return null;
        }
        if (res.status === 412) {
          conflicts++;
          await resync(t, via);
        }
        return describeFailure(res);
      };
    },
  };
}
