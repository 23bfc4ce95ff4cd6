/**
 * A mobile care world: a vårdcentral of the region with two physicians and a nurse, a municipal
 * home-care unit with a nurse, a team of them with round-the-clock reachability and a roster
 * (the physician on call and a backup), and a patient of 88 listed at the vårdcentral with an
 * active plan and consent for the municipal unit. Plausible bodies for the new write routes.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/store/db.ts';
import { createTeamStore } from '../../src/store/team-store.ts';
import { login, type Client } from './api.ts';
import { makePatient, makeProvider, makeStaff, makeUnit, sampleContent } from './factories.ts';

export const goodVitals = {
  respiratoryRate: 24,
  spo2: 92,
  onOxygen: false,
  systolicBp: 98,
  pulse: 112,
  consciousness: 'A',
  temperature: 38.4,
} as const;

/** A valid body for each mobile care write route (null: not one of them). */
export function mobileCareBodyFor(
  path: string,
  ids: { teamId?: string; assessmentId?: string; unitId?: string } = {},
): unknown {
  const missing = '00000000-0000-4000-8000-000000000000';
  if (path.endsWith('/enrolments'))
    return {
      teamId: ids.teamId ?? missing,
      targetGroup: 'mest-sjuka',
      criteria: ['hemsjukvard'],
      criteriaVersion: 1,
      start: '2026-12-01',
      reviewDate: '2027-03-01',
    };
  if (path.endsWith('/end') && path.includes('/enrolments/')) return { reason: 'stable' };
  if (path.endsWith('/care-directives')) return { kind: 'care-level-wish', text: 'Vill vårdas hemma' };
  if (path.endsWith('/assessments'))
    return {
      vitals: goodVitals,
      reason: 'Andfådd sedan i morse',
      judgement: 'Sämre',
      outcome: 'contact-physician',
    };
  if (path.endsWith('/escalations'))
    return {
      assessmentId: ids.assessmentId ?? missing,
      sbar: { situation: 'S', background: 'B', assessment: 'A', recommendation: 'R' },
    };
  if (path.endsWith('/decision'))
    return { kind: 'home-visit', at: '2026-12-07T13:00:00.000Z', text: 'Hembesök', addToPlan: false };
  if (path.endsWith('/roster')) return { roster: [] };
  if (path.endsWith('/hospital-stays'))
    return { unitId: ids.unitId ?? 'SE2321000000-S110', admittedAt: '2026-12-01T08:15:00.000Z' };
  if (path.endsWith('/discharge')) return { dischargedAt: '2026-12-03T10:30:00.000Z' };
  return null;
}

export interface MobileWorld {
  regionProvider: string;
  vc: string;
  municipality: string;
  home: string;
  physician: string;
  backup: string;
  regionNurse: string;
  homeNurse: string;
  teamId: string;
  patientId: string;
  contractId: string;
  clients: { physician: Client; backup: Client; regionNurse: Client; homeNurse: Client };
}

export async function makeMobileWorld(
  app: FastifyInstance,
  db: Db,
  now: Date = new Date(),
): Promise<MobileWorld> {
  const regionProvider = await makeProvider(db, 'region');
  const vc = await makeUnit(db, regionProvider, 'vardcentral');
  const municipality = await makeProvider(db, 'kommun');
  const home = await makeUnit(db, municipality, 'hemsjukvard');
  const physician = await makeStaff(db, vc, 'lakare');
  const backup = await makeStaff(db, vc, 'lakare');
  const regionNurse = await makeStaff(db, vc, 'sjukskoterska');
  const homeNurse = await makeStaff(db, home, 'sjukskoterska');
  const patientId = await makePatient(db, vc);
  await db.query(`update patient set birth_date = '1938-03-12' where id = $1`, [patientId]);
  const hour = 3600_000;
  const teamId = await db.transaction((tx) =>
    createTeamStore(tx).create(
      tx,
      {
        name: `Hemsjukvårdsteam ${patientId.slice(0, 6)}`,
        publicName: 'Mobila teamet Test',
        kind: 'hemsjukvardsteam',
        members: [
          { staffId: physician, unitId: vc, role: 'lakare', starts: '2020-01-01' },
          { staffId: backup, unitId: vc, role: 'lakare', starts: '2020-01-01' },
          { staffId: regionNurse, unitId: vc, role: 'sjukskoterska', starts: '2020-01-01' },
          { staffId: homeNurse, unitId: home, role: 'sjukskoterska', starts: '2020-01-01' },
        ],
        reachability: [
          {
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            from: '00:00',
            to: '00:00',
            phone: '010-111 22 33',
            label: 'Teamet',
          },
        ],
        roster: [
          {
            staffId: physician,
            starts: new Date(now.getTime() - hour).toISOString(),
            ends: new Date(now.getTime() + 48 * hour).toISOString(),
            backup: false,
          },
          {
            staffId: backup,
            starts: new Date(now.getTime() - hour).toISOString(),
            ends: new Date(now.getTime() + 48 * hour).toISOString(),
            backup: true,
          },
        ],
      },
      new Date(now.getTime() - 2 * hour).toISOString(),
    ),
  );
  const clients = {
    physician: await login(app, { hsaId: physician }),
    backup: await login(app, { hsaId: backup }),
    regionNurse: await login(app, { hsaId: regionNurse }),
    homeNurse: await login(app, { hsaId: homeNurse }),
  };
  const created = await clients.regionNurse.send('POST', `/api/patients/${patientId}/contract`, {
    status: 'active',
    content: sampleContent(vc),
  });
  if (created.statusCode !== 201) throw new Error(`contract: ${created.statusCode} ${created.body}`);
  // The patient's consent for the municipal home care (another care provider).
  await db.query(
    `insert into consent (patient_id, scope_kind, unit_id, valid_from, method, recorded_by_kind, recorded_by)
     values ($1, 'unit', $2, now() - interval '1 day', 'i-person', 'staff', $3)`,
    [patientId, home, regionNurse],
  );
  return {
    regionProvider,
    vc,
    municipality,
    home,
    physician,
    backup,
    regionNurse,
    homeNurse,
    teamId,
    patientId,
    contractId: created.json<{ id: string }>().id,
    clients,
  };
}

/** Enrols the world's patient: the physician proposes, the municipal nurse confirms. Returns the enrolment id. */
export async function enrol(w: MobileWorld): Promise<string> {
  const proposed = await w.clients.physician.send(
    'POST',
    `/api/patients/${w.patientId}/enrolments`,
    mobileCareBodyFor('/enrolments', { teamId: w.teamId }),
  );
  if (proposed.statusCode !== 201) throw new Error(`propose: ${proposed.statusCode} ${proposed.body}`);
  const id = proposed.json<{ id: string }>().id;
  const confirmed = await w.clients.homeNurse.send('POST', `/api/enrolments/${id}/confirm`);
  if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.statusCode} ${confirmed.body}`);
  return id;
}

/**
 * The municipal nurse assesses the world's patient (vital signs, contact the physician) and sends
 * the SBAR to the team: the assessment's id and score total, and the escalation's id.
 */
export async function assessAndEscalate(
  w: MobileWorld,
): Promise<{ assessmentId: string; total: number; escalationId: string }> {
  const assessed = await w.clients.homeNurse.send(
    'POST',
    `/api/patients/${w.patientId}/assessments`,
    mobileCareBodyFor('/assessments'),
  );
  assert.equal(assessed.statusCode, 201, assessed.body);
  const { assessment, score } = assessed.json<{ assessment: { id: string }; score: { total: number } }>();
  const sent = await w.clients.homeNurse.send(
    'POST',
    `/api/patients/${w.patientId}/escalations`,
    mobileCareBodyFor('/escalations', { assessmentId: assessment.id }),
  );
  assert.equal(sent.statusCode, 201, sent.body);
  return { assessmentId: assessment.id, total: score.total, escalationId: sent.json<{ id: string }>().id };
}
