/**
 * Opening the plan from a journal system, in real Chromium: a small journal system (its launch
 * page, its FHIR server) and its real authorization server (oidc-provider configured for SMART,
 * test/helpers/smart-ehr.ts) beside Patientkontrakt on a demo region. The clinician clicks
 * "Öppna Patientkontrakt" in the journal and lands on the patient's page with no second login; an
 * unregistered journal system, a forged or replayed state, an unknown user and a patient the user
 * may not see each end on one clear page, the last exactly as a patient we do not have. The time
 * of one launch (the click in the journal → the patient's page, with the clinician already signed
 * in at the journal's authorization server) goes to test-artifacts/smart-launch.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { registerTestEhr, startTestEhr, type TestEhr } from '../helpers/smart-ehr.ts';
import { startBrowserEnv, writeArtifact, type BrowserEnv } from './setup.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('a clinician opens the plan from the journal system', () => {
  let env: BrowserEnv;
  let ehr: TestEhr;
  let appBase: string;
  let nurseUnit: string;
  let patient: { id: string; identifier: string; name: string };
  let hiddenPnr: string;
  let missingPnr: string;
  const timings: Record<string, number> = {};

  before(async () => {
    const port = await freePort();
    appBase = `http://127.0.0.1:${port}`;
    ehr = await startTestEhr(appBase);
    env = await startBrowserEnv({
      port,
      env: {
        SMART_LAUNCH_REDIRECT_URI: `${appBase}/launch/callback`,
        SMART_SECRET_TESTJOURNAL: ehr.clientSecret,
      },
    });
    await registerTestEhr(env.db, ehr, {
      id: 'testjournalen',
      name: 'Testjournalen',
      secretRef: 'TESTJOURNAL',
    });
    const nurseId = demoStaff.distriktsskoterska.id;
    nurseUnit = (
      await env.db.query<{ unitId: string }>(
        `select unit_id as "unitId" from staff_unit where staff_id = $1 and ended_at is null order by unit_id limit 1`,
        [nurseId],
      )
    )[0]!.unitId;
    // A patient of her unit with a plan, no spärr and a personnummer.
    patient = (
      await env.db.query<{ id: string; identifier: string; name: string }>(
        `select p.id, p.identifier, p.given_name || ' ' || p.family_name as name
         from patient p join contract c on c.patient_id = p.id
         where p.listed_unit_id = $1 and p.identifier_kind = 'personnummer'
           and not exists (select 1 from block b where b.patient_id = p.id)
         order by p.identifier limit 1`,
        [nurseUnit],
      )
    )[0]!;
    // Two test personnummer nobody in the demo region has: one becomes a patient of another care
    // provider (hidden from her), the other stays unknown to Patientkontrakt.
    const taken = new Set(
      (await env.db.query<{ identifier: string }>('select identifier from patient')).map((r) => r.identifier),
    );
    const free = readFileSync(join(root, 'data', 'skatteverket-testpersonnummer.csv'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^(19[5-9]|20[01])\d{9}$/.test(l) && !taken.has(l));
    [hiddenPnr, missingPnr] = [free[0]!, free[1]!];
    await env.db.query(
      `insert into care_provider (id, name, kind, huvudman) values ('SE5560999999-G001', 'Privat vård', 'privat', 'Privat')`,
    );
    await env.db.query(
      `insert into care_unit (id, provider_id, name, kind) values ('SE5560999999-E001', 'SE5560999999-G001', 'Privatkliniken', 'vardcentral')`,
    );
    await env.db.query(
      `insert into patient (identifier, identifier_kind, given_name, family_name, listed_unit_id)
       values ($1, 'personnummer', 'Dold', 'Patientsson', 'SE5560999999-E001')`,
      [hiddenPnr],
    );
  });
  after(async () => {
    writeArtifact('smart-launch.json', timings);
    await env?.close();
    await ehr?.close();
  });

  /** Opens the journal's page for a patient and clicks "Öppna Patientkontrakt". */
  async function openFromJournal(page: Page, personnummer: string | null, unit?: string): Promise<void> {
    const ehrPatient = ehr.addPatient(personnummer);
    const context = unit
      ? {
          patient: ehrPatient,
          fhirContext: [{ identifier: { system: 'urn:oid:1.2.752.29.4.19', value: unit } }],
        }
      : { patient: ehrPatient };
    await page.goto(ehr.launchPageUrl(context));
    await page.getByRole('link', { name: 'Öppna Patientkontrakt' }).click();
  }

  /** Signs in at the journal's authorization server (its own login, once per browser). */
  async function signInAtJournal(page: Page, practitioner: string): Promise<void> {
    await page.getByRole('heading', { name: 'Journalsystemets inloggning' }).waitFor();
    await page.getByLabel('Användare').fill(practitioner);
    await page.getByRole('button', { name: 'Logga in' }).click();
  }

  it("lands on the patient's page, then opens the next patient without any login", async () => {
    const page = await env.newPage();
    const practitioner = ehr.addPractitioner(demoStaff.distriktsskoterska.id);
    await openFromJournal(page, patient.identifier, nurseUnit);
    await signInAtJournal(page, practitioner);
    // The first page of the app in this browser: its code and the patient's data load cold.
    await page.getByRole('heading', { level: 1, name: patient.name }).waitFor({ timeout: 30_000 });
    assert.equal(new URL(page.url()).pathname, `/patient/${patient.id}`);
    await env.check(page, 'smart-launch-patient');

    // Signed in at the journal already: the launch is redirects only. Timed from the click.
    const samples: number[] = [];
    const redirects: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(
        ehr.launchPageUrl({
          patient: ehr.addPatient(patient.identifier),
          fhirContext: [{ identifier: { system: 'urn:oid:1.2.752.29.4.19', value: nurseUnit } }],
        }),
      );
      const started = performance.now();
      await page.getByRole('link', { name: 'Öppna Patientkontrakt' }).click();
      await page.waitForURL(`**/patient/${patient.id}`);
      redirects.push(performance.now() - started);
      await page.getByRole('heading', { level: 1, name: patient.name }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      samples.push(performance.now() - started);
    }
    redirects.sort((a, b) => a - b);
    // The part spent in the redirects (ours, the authorization server's, the FHIR reads) before
    // the app's page starts loading.
    timings.launchRedirectsMsMedian = Math.round(redirects[2]!);
    samples.sort((a, b) => a - b);
    timings.launchToPatientPageMsMedian = Math.round(samples[2]!);
    timings.launchToPatientPageMsMax = Math.round(samples[4]!);
    timings.launchToPatientPageMsMin = Math.round(samples[0]!);
    assert.ok(samples[2]! < 5000, `a launch took ${samples[2]} ms`);
  });

  it('refuses a journal system that is not in the registry, on its own page', async () => {
    const page = await env.newPage();
    const asked: string[] = [];
    page.on('request', (r) => asked.push(r.url()));
    await page.goto(`/launch?iss=${encodeURIComponent('https://okand.example.org/fhir')}&launch=abc123`);
    await page.getByRole('heading', { level: 1, name: 'Journalsystemet är inte anslutet' }).waitFor();
    assert.ok(
      asked.every((url) => url.startsWith(appBase)),
      'no request left Patientkontrakt',
    );
    await env.check(page, 'smart-launch-unknown-system');
    const phone = await env.newPage({ width: 390, height: 844 });
    await phone.goto(`/launch?iss=${encodeURIComponent('https://okand.example.org/fhir')}&launch=abc123`);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    await env.check(phone, 'smart-launch-unknown-system-390');
  });

  it('shows a patient the clinician may not see exactly as a patient Patientkontrakt does not have', async () => {
    const practitioner = ehr.addPractitioner(demoStaff.distriktsskoterska.id);
    const texts: string[] = [];
    for (const [pnr, name] of [
      [hiddenPnr, 'smart-launch-hidden-patient'],
      [missingPnr, 'smart-launch-missing-patient'],
    ] as const) {
      const page = await env.newPage();
      await openFromJournal(page, pnr, nurseUnit);
      await signInAtJournal(page, practitioner);
      await page.getByRole('heading', { level: 1, name: 'Patienten kan inte visas' }).waitFor();
      texts.push(await page.locator('main').innerText());
      assert.doesNotMatch(await page.content(), /Dold|Patientsson/);
      await env.check(page, name);
    }
    assert.equal(texts[0], texts[1]);
  });

  it('refuses a replayed state and a forged one', async () => {
    const practitioner = ehr.addPractitioner(demoStaff.distriktsskoterska.id);
    const page = await env.newPage();
    let completed = '';
    page.on('request', (r) => {
      if (r.url().startsWith(`${appBase}/launch/callback`)) completed = r.url();
    });
    await openFromJournal(page, patient.identifier, nurseUnit);
    await signInAtJournal(page, practitioner);
    await page.getByRole('heading', { level: 1, name: patient.name }).waitFor({ timeout: 30_000 });
    // The same callback again: the launch was used up.
    await page.goto(completed);
    await page.getByRole('heading', { level: 1, name: 'Starten kunde inte bekräftas' }).waitFor();
    await env.check(page, 'smart-launch-replayed-state');

    // A browser in the middle of a launch (at the journal's login) is sent a callback with a state
    // that is not its own (an attacker's code): refused, nothing of ours shown.
    const other = await env.newPage();
    await openFromJournal(other, patient.identifier, nurseUnit);
    await other.getByRole('heading', { name: 'Journalsystemets inloggning' }).waitFor();
    const forged = new URL(completed);
    forged.searchParams.set('state', 'forged');
    await other.goto(forged.href);
    await other.getByRole('heading', { level: 1, name: 'Starten kunde inte bekräftas' }).waitFor();
    assert.doesNotMatch(await other.content(), new RegExp(patient.name));
    await env.check(other, 'smart-launch-forged-state');
  });

  it('lets a clinician with two units choose one when the journal names none', async () => {
    const other = (
      await env.db.query<{ id: string }>(
        `select id from care_unit where id <> $1 and provider_id = (select provider_id from care_unit where id = $1)
         order by id limit 1`,
        [nurseUnit],
      )
    )[0]!.id;
    const nurseId = demoStaff.distriktsskoterska.id;
    await env.db.query(`insert into staff_unit (staff_id, unit_id) values ($1, $2)`, [nurseId, other]);
    try {
      const page = await env.newPage();
      await openFromJournal(page, patient.identifier);
      await signInAtJournal(page, ehr.addPractitioner(nurseId));
      await page.getByRole('heading', { level: 1, name: 'Välj enhet' }).waitFor({ timeout: 30_000 });
      await env.check(page, 'smart-launch-choose-unit');
      const unitName = (
        await env.db.query<{ name: string }>('select name from care_unit where id = $1', [nurseUnit])
      )[0]!.name;
      await page.getByRole('radio', { name: unitName }).check();
      await page.getByRole('button', { name: 'Fortsätt' }).click();
      await page.getByRole('heading', { level: 1, name: patient.name }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/patient/${patient.id}`);
    } finally {
      await env.db.query('delete from staff_unit where staff_id = $1 and unit_id = $2', [nurseId, other]);
    }
  });

  it('refuses a user who is not in the directory', async () => {
    const page = await env.newPage();
    await openFromJournal(page, patient.identifier);
    await signInAtJournal(page, ehr.addPractitioner('SE2321000000-PINTEHAR'));
    await page.getByRole('heading', { level: 1, name: 'Du finns inte som användare' }).waitFor();
    assert.doesNotMatch(await page.content(), new RegExp(patient.name));
    await env.check(page, 'smart-launch-unknown-user');
    const me = await page.request.get('/api/me');
    assert.equal(me.status(), 401, 'no session');
  });
});
