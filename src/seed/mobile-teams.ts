/**
 * The mobile care teams of the demo region (Region Dalarna's two kinds: a närsjukvårdsteam from
 * the hospital, and a hemsjukvårdsteam of a vårdcentral's physicians with the municipality's home
 * care): members, reachability round the clock, an on-call roster covering the coming week, and
 * enrolled patients. Elsa Lindqvist is enrolled in the hemsjukvårdsteam (Johan Ek on call, Sara
 * Holm backup, Lena Åberg a member); she consented to the municipal home care when she was
 * enrolled, and has past assessments and her wishes and limitations beside them. Gunnar Persson,
 * enrolled in the same team, has an SBAR waiting for the physician on call. Written once, through
 * the stores, after the patients.
 */
import type { StaffActor } from '../domain/actor.ts';
import { news2, NEWS2_DEFAULT_CONFIG, type VitalSigns } from '../domain/news2.ts';
import { draftSbar } from '../domain/sbar.ts';
import { routeEscalation } from '../domain/escalation.ts';
import { swedishDayOf } from '../domain/swedish-time.ts';
import { createAssessmentStore } from '../store/assessment-store.ts';
import { createCareDirectiveStore } from '../store/care-directive-store.ts';
import { createConsentStore } from '../store/consent-store.ts';
import type { Db, Queryable } from '../store/db.ts';
import { createEnrolmentStore } from '../store/enrolment-store.ts';
import { createEscalationStore } from '../store/escalation-store.ts';
import { createPatientStore } from '../store/patient-store.ts';
import { createTeamStore } from '../store/team-store.ts';
import { buildDirectory, demoStaff } from './directory.ts';
import { HOSPITAL_ID } from './units.ts';

const CENTRUM = 'SE2321000000-V101';
const SODER = 'SE2321000000-V102';
const HEMSJUKVARD = 'SE2120000000-1100';
const DAY = 86_400_000;

export const demoTeams = {
  hemsjukvard: { name: 'Hemsjukvårdsteam Exempelstad', publicName: 'Mobila teamet Exempelstad' },
  narsjukvard: { name: 'Närsjukvårdsteam Exempelstads sjukhus', publicName: 'Mobila närsjukvårdsteamet' },
} as const;

function actorOf(
  s: { id: string; givenName: string; familyName: string },
  profession: string,
  unitId: string,
): StaffActor {
  const actor = {
    kind: 'staff' as const,
    staffId: s.id,
    name: `${s.givenName} ${s.familyName}`,
    profession,
    unitId,
    providerId: '',
    role: 'medarbetare',
  };
  return actor;
}

/** Writes the teams unless they are there (a re-run of the seeder). */
export async function seedMobileTeams(db: Db, now: Date): Promise<void> {
  const teams = createTeamStore(db);
  const existing = await teams.findByName(demoTeams.hemsjukvard.name);
  if (existing) return;
  const patients = createPatientStore(db);
  const [elsa, gunnar, birgitta] = await Promise.all(
    ['193803129182', '194001279050', '195203072227'].map((pnr) => patients.findByIdentifier(pnr)),
  );
  if (!elsa || !gunnar || !birgitta) return;
  const dir = buildDirectory();
  const hospitalStaff = dir.staffAt(HOSPITAL_ID);
  const hospitalPhysician = hospitalStaff.find((s) => s.profession === 'lakare')!;
  const hospitalNurse = hospitalStaff.find((s) => s.profession === 'sjukskoterska') ?? hospitalStaff[1]!;
  const johan = actorOf(demoStaff.allmanlakare, 'lakare', CENTRUM);
  const sara = actorOf(demoStaff.lakareSoder, 'lakare', SODER);
  const karin = actorOf(demoStaff.distriktsskoterska, 'distriktsskoterska', CENTRUM);
  const lena = actorOf(demoStaff.kommunskoterska, 'sjukskoterska', HEMSJUKVARD);
  const hp = actorOf(hospitalPhysician, 'lakare', HOSPITAL_ID);
  const hn = actorOf(hospitalNurse, hospitalNurse.profession, HOSPITAL_ID);
  const iso = (ms: number) => new Date(ms).toISOString();
  const t = now.getTime();
  const since = swedishDayOf(t - 400 * DAY);
  const week = { starts: iso(t - DAY), ends: iso(t + 8 * DAY) };

  await db.transaction(async (tx: Queryable) => {
    const txTeams = createTeamStore(tx);
    const hemsjukvard = await txTeams.create(
      tx,
      {
        ...demoTeams.hemsjukvard,
        kind: 'hemsjukvardsteam',
        municipality: 'Exempelstad',
        members: [
          { staffId: johan.staffId, unitId: CENTRUM, role: 'lakare', starts: since },
          { staffId: sara.staffId, unitId: SODER, role: 'lakare', starts: since },
          { staffId: karin.staffId, unitId: CENTRUM, role: 'sjukskoterska', starts: since },
          { staffId: lena.staffId, unitId: HEMSJUKVARD, role: 'sjukskoterska', starts: since },
        ],
        reachability: [
          {
            weekdays: [1, 2, 3, 4, 5],
            from: '08:00',
            to: '17:00',
            phone: '010-200 10 00',
            label: 'Teamets sjuksköterskor',
          },
          {
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            from: '00:00',
            to: '00:00',
            phone: '010-200 10 99',
            label: 'Teamets jourlinje',
          },
        ],
        roster: [
          { staffId: johan.staffId, ...week, backup: false },
          { staffId: sara.staffId, ...week, backup: true },
        ],
      },
      iso(t - 400 * DAY),
    );
    const narsjukvard = await txTeams.create(
      tx,
      {
        ...demoTeams.narsjukvard,
        kind: 'narsjukvardsteam',
        municipality: 'Exempelstad',
        members: [
          { staffId: hp.staffId, unitId: HOSPITAL_ID, role: 'lakare', starts: since },
          { staffId: hn.staffId, unitId: HOSPITAL_ID, role: 'sjukskoterska', starts: since },
        ],
        reachability: [
          {
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            from: '00:00',
            to: '00:00',
            phone: '010-300 20 00',
            label: 'Närsjukvårdsteamet',
          },
        ],
        roster: [{ staffId: hp.staffId, ...week, backup: false }],
      },
      iso(t - 400 * DAY),
    );

    const enrolments = createEnrolmentStore(tx);
    const enrolOne = async (
      patientId: string,
      teamId: string,
      targetGroup: 'mest-sjuka' | 'tidvis-sviktande',
      criteria: string[],
      proposer: StaffActor,
      confirmer: StaffActor,
      daysAgo: number,
    ): Promise<string> => {
      const id = await enrolments.propose(
        tx,
        {
          patientId,
          teamId,
          targetGroup,
          criteria,
          criteriaVersion: { id: 'mobilt-team-kriterier', version: 1 },
          start: swedishDayOf(t - daysAgo * DAY),
          reviewDate: swedishDayOf(t + (90 - daysAgo) * DAY),
        },
        proposer,
        iso(t - daysAgo * DAY - 3600_000),
      );
      await enrolments.transition(
        tx,
        id,
        { from: 'proposed', to: 'active', action: 'confirmed' },
        confirmer,
        iso(t - daysAgo * DAY),
      );
      return id;
    };
    const elsaEnrolment = await enrolOne(
      elsa.id,
      hemsjukvard,
      'mest-sjuka',
      ['samtidiga-insatser', 'hemsjukvard', 'flera-diagnoser'],
      johan,
      lena,
      45,
    );
    const gunnarEnrolment = await enrolOne(
      gunnar.id,
      hemsjukvard,
      'tidvis-sviktande',
      ['upprepade-akutbesok', 'tidvis-svikt'],
      karin,
      johan,
      30,
    );
    await enrolOne(birgitta.id, narsjukvard, 'tidvis-sviktande', ['upprepade-akutbesok'], hp, hn, 20);

    // Elsa agreed that the municipal home care of her team may read her plan when she was enrolled.
    await createConsentStore(tx).record(
      elsa.id,
      { scope: 'unit', unitId: HEMSJUKVARD, validFrom: iso(t - 45 * DAY), method: 'i-person' },
      johan,
    );
    const directives = createCareDirectiveStore(tx);
    await directives.create(
      tx,
      elsa.id,
      {
        kind: 'care-level-wish',
        text: 'Vill helst vårdas hemma. Vill inte åka in till sjukhuset om det går att undvika.',
      },
      lena,
      iso(t - 44 * DAY),
    );
    await directives.create(
      tx,
      elsa.id,
      {
        kind: 'treatment-limitation',
        text: 'Ej hjärt-lungräddning. Sjukhusvård vid behandlingsbar orsak, inte intensivvård.',
      },
      johan,
      iso(t - 44 * DAY),
    );

    const assessments = createAssessmentStore(tx);
    const assess = async (
      patientId: string,
      enrolmentId: string,
      vitals: VitalSigns,
      who: StaffActor,
      at: number,
      text: { reason: string; judgement: string },
      outcome: 'stay-home' | 'increased-home-care' | 'contact-physician',
    ) => {
      const score = news2(vitals, { scale: 1, ageYears: 85 })!;
      const id = await assessments.create(
        tx,
        {
          patientId,
          enrolmentId,
          vitals,
          score: score.total,
          parts: score.parts,
          scale: 1,
          risk: score.risk,
          config: { id: NEWS2_DEFAULT_CONFIG.id, version: NEWS2_DEFAULT_CONFIG.version },
          ...text,
          outcome,
        },
        who,
        iso(at),
      );
      return { id, score };
    };
    const base: VitalSigns = {
      respiratoryRate: 18,
      spo2: 95,
      onOxygen: false,
      systolicBp: 128,
      pulse: 78,
      consciousness: 'A',
      temperature: 36.8,
    };
    await assess(
      elsa.id,
      elsaEnrolment,
      base,
      lena,
      t - 20 * DAY,
      { reason: 'Planerat hembesök', judgement: 'Stabil.' },
      'stay-home',
    );
    await assess(
      elsa.id,
      elsaEnrolment,
      { ...base, respiratoryRate: 21, spo2: 94, pulse: 92 },
      lena,
      t - 9 * DAY,
      { reason: 'Tröttare, svullna ben', judgement: 'Något sämre, ökar vätskedrivande enligt plan.' },
      'increased-home-care',
    );
    await assess(
      elsa.id,
      elsaEnrolment,
      { ...base, respiratoryRate: 19, pulse: 84 },
      lena,
      t - 2 * DAY,
      { reason: 'Uppföljning efter ökad dos', judgement: 'Bättre igen.' },
      'stay-home',
    );

    // Gunnar: an SBAR sent a few minutes ago, waiting for the physician on call.
    const vitals: VitalSigns = {
      respiratoryRate: 25,
      spo2: 89,
      onOxygen: true,
      systolicBp: 104,
      pulse: 108,
      consciousness: 'A',
      temperature: 38.1,
    };
    const sentAt = t - 4 * 60_000;
    const reason = 'Ökad andfåddhet och feber sedan i natt';
    const judgement = 'Misstänkt KOL-exacerbation med infektion. Behöver läkarbedömning i dag.';
    const { id: assessmentId, score } = await assess(
      gunnar.id,
      gunnarEnrolment,
      vitals,
      karin,
      sentAt - 6 * 60_000,
      { reason, judgement },
      'contact-physician',
    );
    const sbar = draftSbar({
      patientName: `${gunnar.givenName} ${gunnar.familyName}`,
      age: Number(swedishDayOf(t).slice(0, 4)) - Number((gunnar.birthDate ?? '1940').slice(0, 4)),
      reason,
      diagnoses: gunnar.diagnoses.map((d) => d.icd10),
      planSummary: '',
      whatMatters: '',
      wishes: [],
      limitations: [],
      vitals,
      score,
      previous: [],
      judgement,
      outcome: 'contact-physician',
    });
    const route = routeEscalation({
      now: new Date(sentAt),
      team: {
        teamId: hemsjukvard,
        name: demoTeams.hemsjukvard.name,
        onCall: { staffId: johan.staffId, name: johan.name, phone: '010-200 10 99' },
      },
      regionalOnCall: { phone: '010-000 11 77', label: 'Regionens jourläkare' },
    });
    await createEscalationStore(tx).create(
      tx,
      { patientId: gunnar.id, assessmentId, sbar, route },
      karin,
      iso(sentAt),
    );
  });
}
