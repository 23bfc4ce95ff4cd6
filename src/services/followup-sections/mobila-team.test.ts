/**
 * The mobile-team section of the follow-up, on both engines: enrolled patients by target group
 * and days enrolled, assessments, escalations with the median and 90th percentile of the time to
 * the physician's answer, the share that stayed at home (no emergency visit or admission within
 * 72 hours), the emergency visits and admissions of enrolled patients, and the
 * physician posts, each against a computation written out here from the rows the test inserts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { openTestApp } from '../../../test/helpers/api.ts';
import { testEngines } from '../../../test/helpers/engines.ts';
import { makePatient, makeProvider, makeStaff, makeUnit } from '../../../test/helpers/factories.ts';
import type { Db } from '../../store/db.ts';
import { createFollowupStore } from '../../store/followup-store.ts';
import { createImportStore } from '../../store/import-store.ts';
import { createTeamStore } from '../../store/team-store.ts';
import { buildFollowupReport } from '../followup-service.ts';
import { runImport } from '../import-reader.ts';

const period = { from: '2026-03-01', to: '2026-03-31' };

/** Median and 90th percentile by nearest rank, written out independently of the domain. */
function nearestRank(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  let rank = Math.ceil(p * s.length);
  if (rank < 1) rank = 1;
  return s[rank - 1]!;
}

for (const engine of testEngines) {
  describe(`follow-up of mobile teams on ${engine.name}`, () => {
    let db: Db;
    openTestApp(engine, (opened) => ({ db } = opened));

    it('counts enrolled, assessed, escalated, stayed home and posts per team and municipality', async () => {
      const provider = await makeProvider(db, 'region');
      const unit = await makeUnit(db, provider);
      const physician = await makeStaff(db, unit, 'lakare');
      const nurse = await makeStaff(db, unit, 'sjukskoterska');
      const municipality = `Testkommun ${randomUUID().slice(0, 8)}`;
      const teamId = await db.transaction((tx) =>
        createTeamStore(tx).create(
          tx,
          {
            name: `Team ${municipality}`,
            publicName: 'Mobila teamet',
            kind: 'hemsjukvardsteam',
            municipality,
            members: [],
            reachability: [],
          },
          '2026-01-01T00:00:00Z',
        ),
      );
      // Enrolments: [target group, start, ended (instant) or null].
      const plan: ['mest-sjuka' | 'tidvis-sviktande', string, string | null][] = [
        ['mest-sjuka', '2026-02-10', null], // whole period: 31 days
        ['mest-sjuka', '2026-03-11', null], // 21 days
        ['mest-sjuka', '2026-03-05', '2026-03-14T10:00:00Z'], // 5 … 14: 10 days, not open on the 31st
        ['tidvis-sviktande', '2026-03-21', null], // 11 days
      ];
      const patients: string[] = [];
      const enrolments: string[] = [];
      for (const [group, start, ended] of plan) {
        const patientId = await makePatient(db, unit);
        patients.push(patientId);
        const rows = await db.query<{ id: string }>(
          `insert into enrolment (patient_id, team_id, target_group, criteria_set_id, criteria_version, start_date,
             status, proposed_by, proposed_by_unit_id, proposed_at, confirmed_by, confirmed_by_unit_id, confirmed_at,
             ended_at, ended_by, end_reason)
           values ($1, $2, $3, 'k', 1, $4, $5, $6, $7, $4::date, $8, $7, $4::date, $9, $10, $11) returning id`,
          [
            patientId,
            teamId,
            group,
            start,
            ended ? 'ended' : 'active',
            physician,
            unit,
            nurse,
            ended,
            ended ? nurse : null,
            ended ? 'stable' : null,
          ],
        );
        enrolments.push(rows[0]!.id);
      }
      // Assessments of patients 0 and 1; patient 0 is admitted 40 hours after the first one.
      const assessedAt = [
        [0, '2026-03-03T08:00:00Z'],
        [0, '2026-03-20T08:00:00Z'],
        [1, '2026-03-12T08:00:00Z'],
        [1, '2026-03-25T08:00:00Z'],
        [1, '2026-03-28T08:00:00Z'],
      ] as const;
      const assessmentIds: string[] = [];
      for (const [i, at] of assessedAt) {
        const rows = await db.query<{ id: string }>(
          `insert into assessment (patient_id, enrolment_id, vitals, scale, config_id, config_version, reason,
             judgement, outcome, performed_by, performed_by_name, unit_id, at)
           values ($1, $2, '{}', 1, 'news2', 1, 'Sämre', '', 'contact-physician', $3, 'Sköterska', $4, $5) returning id`,
          [patients[i], enrolments[i], nurse, unit, at],
        );
        assessmentIds.push(rows[0]!.id);
      }
      // Stays in hospital come through the admission import: [patient, admitted, discharged]. Patient 0's
      // of 5 March follows the assessment of 3 March; the others fall outside an enrolment or the period.
      const stays: [number, string, string][] = [
        [0, '2026-03-05T00:00:00Z', '2026-03-08T12:00:00Z'],
        [0, '2026-03-30T06:00:00Z', ''], // still in hospital: counted
        [1, '2026-03-08T06:00:00Z', '2026-03-09T06:00:00Z'], // before the enrolment of 11 March
        [2, '2026-03-20T06:00:00Z', '2026-03-22T06:00:00Z'], // after the enrolment ended on 14 March
        [3, '2026-02-20T06:00:00Z', '2026-02-21T06:00:00Z'], // before the period
      ];
      const identifiers = await db.query<{ id: string; identifier: string }>(
        'select id, identifier from patient where id = any($1::uuid[])',
        [patients],
      );
      const pnr = (i: number) => identifiers.find((p) => p.id === patients[i])!.identifier;
      const imported = await runImport(
        createImportStore(db),
        Readable.from([
          [
            'personnummer,enhet,inskriven,utskriven',
            ...stays.map(([i, a, d]) => `${pnr(i)},${unit},${a},${d}`),
          ].join('\n'),
        ]),
        {
          kind: 'admissions',
          format: 'csv',
          mode: 'all-or-nothing',
          source: 'vardtillfallen.csv',
          actorId: 'cli:test',
          unitId: null,
          now: new Date(),
        },
      );
      assert.equal(imported.imported, stays.length, JSON.stringify(imported.errors));
      // Admissions counted: in the period, while the patient was enrolled (written out from `plan`).
      const enrolledAt = (i: number, at: string) =>
        plan[i]![1] <= at.slice(0, 10) && (plan[i]![2] === null || at < plan[i]![2]);
      const admissionsInPeriod = stays.filter(
        ([i, at]) => at.slice(0, 10) >= period.from && at.slice(0, 10) <= period.to && enrolledAt(i, at),
      ).length;
      // Patient 1 comes to the emergency department 26 hours after the assessment of 25 March.
      await db.query(
        `insert into visit (patient_id, at, staff_id, unit_id, profession, contact_type)
         values ($1, '2026-03-26T10:00:00Z', $2, $3, 'lakare', 'akutbesok')`,
        [patients[1], physician, unit],
      );
      // Escalations from four assessments: minutes to the answer 4, 12, 30; one unanswered.
      const answers = [4, 12, 30, null];
      for (const [k, minutes] of answers.entries()) {
        const sent = Date.parse(assessedAt[k]![1]) + 10 * 60_000;
        await db.query(
          `insert into escalation (patient_id, assessment_id, sbar, from_staff_id, from_staff_name, from_unit_id,
             sent_at, route, team_id, status, acknowledged_at, acknowledged_by, decision, decided_by, decided_at)
           values ($1, $2, '{}', $3, 'Sköterska', $4, $5, '{}', $6, $7, $8, $9, $10, $9, $8)`,
          [
            patients[assessedAt[k]![0]],
            assessmentIds[k],
            nurse,
            unit,
            new Date(sent).toISOString(),
            teamId,
            minutes === null ? 'sent' : 'answered',
            minutes === null ? null : new Date(sent + minutes * 60_000).toISOString(),
            minutes === null ? null : physician,
            minutes === null ? null : JSON.stringify({ kind: 'reassess', text: 'Ny bedömning' }),
          ],
        );
      }

      const report = await buildFollowupReport(createFollowupStore(db), {
        period,
        sections: ['mobila-team'],
        trend: false,
        minCell: 1,
        physicianRates: { 'mest-sjuka': 1.5, 'tidvis-sviktande': 3 },
      });
      const table = (id: string) => report.tables.find((t) => t.id === id)!;
      for (const [level, id] of [
        ['team', teamId],
        ['kommun', null],
      ] as const) {
        const pick = (tableId: string) =>
          table(tableId).rows.filter(
            (r) => r.niva === level && (level === 'team' ? r.id === id : r.namn === municipality),
          );
        const [enrolled] = pick('mobila-team-inskrivna');
        assert.ok(enrolled, level);
        assert.equal(enrolled['inskrivna_mest-sjuka'], 3);
        assert.equal(enrolled['dagar_mest-sjuka'], nearestRank([31, 21, 10], 0.5));
        assert.equal(enrolled['inskrivna_tidvis-sviktande'], 1);
        assert.equal(enrolled['dagar_tidvis-sviktande'], 11);
        const [care] = pick('mobila-team-bedomningar');
        assert.ok(care, level);
        assert.equal(care.bedomningar, 5);
        assert.equal(care.sbar, 4);
        assert.equal(care.besvarade, 3);
        assert.equal(care.svarstid_median, nearestRank([4, 12, 30], 0.5));
        assert.equal(care.svarstid_p90, nearestRank([4, 12, 30], 0.9));
        // The assessment of 3 March was followed by an admission 40 hours later, that of 25 March
        // by an emergency visit 26 hours later; the other three stayed at home.
        assert.equal(care.stannade_hemma, 3 / 5);
        assert.equal(care.akutbesok, 1);
        assert.equal(care.inlaggningar, admissionsInPeriod);
        assert.equal(admissionsInPeriod, 2);
        // Posts are counted per municipality and for the region, not per team; open on the 31st only.
        const posts = pick('mobila-team-lakartjanster');
        assert.deepEqual(
          posts.map((r) => [r.malgrupp, r.inskrivna, r.tjanster]),
          level === 'team'
            ? []
            : [
                ['Mest sjuka', 2, (2 * 1.5) / 100],
                ['Tidvis sviktande', 1, (1 * 3) / 100],
              ],
        );
      }
    });
  });
}
