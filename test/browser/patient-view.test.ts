/**
 * The patient's own view, in real Chromium, phone first (390×844) and on a desktop:
 * Elsa sees her next step and her fast vårdkontakt's phone, ticks off a responsibility and asks
 * for another time, and her fast vårdkontakt sees both on the worklist; she gives and takes back
 * consent for the municipal home care, whose nurse is denied on the next request; a närstående
 * reads her plan without any way to change it, until Elsa takes the right back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadTestPersonnummer } from '../../src/seed/generate.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };
const ELSA = { personnummer: '193803129182', name: 'Elsa Lindqvist' };
const HEMSJUKVARD = 'SE2120000000-1100';

async function logInPatient(page: Page, name: string): Promise<void> {
  await page.goto('/logga-in');
  await page.getByRole('button', { name: `Logga in som ${name}` }).click();
  await page.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
}

/** The last day of a grant: `days` from today, as YYYY-MM-DD. */
function dayFromNow(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('the patient’s own view', () => {
  let env: BrowserEnv;
  let elsa: Page;
  let elsaId: string;
  let responsibility: string;
  let hemsjukvardName: string;

  before(async () => {
    env = await startBrowserEnv();
    const rows = await env.db.query<{ id: string; text: string }>(
      `select p.id, r ->> 'text' as text
       from patient p join contract c on c.patient_id = p.id and c.status = 'active',
         jsonb_array_elements(c.content -> 'patientResponsibilities') r
       where p.identifier = $1 and coalesce((r ->> 'isDone')::boolean, false) = false
       limit 1`,
      [ELSA.personnummer],
    );
    elsaId = rows[0]!.id;
    responsibility = rows[0]!.text;
    hemsjukvardName = (
      await env.db.query<{ name: string }>('select name from care_unit where id = $1', [HEMSJUKVARD])
    )[0]!.name;
    elsa = await env.newPage(PHONE);
  });
  after(async () => {
    await env?.close();
  });

  it('shows Elsa her next step and a big call button for her fast vårdkontakt on a phone', async () => {
    await elsa.goto('/logga-in');
    await elsa.getByRole('heading', { name: 'Är du patient?' }).waitFor();
    await elsa.getByRole('button', { name: `Logga in som ${ELSA.name}` }).waitFor();
    await env.check(elsa, 'p00-login-phone');
    await logInPatient(elsa, ELSA.name);
    const next = elsa.getByRole('region', { name: 'Ditt nästa steg' });
    await next.getByText(/\d{4}/).first().waitFor();
    await next.getByText('Hur', { exact: true }).waitFor();
    const contact = elsa.getByRole('region', { name: 'Vem du kontaktar' });
    await contact.getByText('Din fasta vårdkontakt', { exact: true }).waitFor();
    const call = contact.getByRole('link', { name: /Ring Karin Lindberg/ });
    assert.match((await call.getAttribute('href')) ?? '', /^tel:\+?\d+$/);
    const box = (await call.boundingBox())!;
    assert.ok(box.height >= 44 && box.width >= 44, `the call button is ${box.width}×${box.height}`);
    await elsa.getByRole('link', { name: 'Ring 112' }).waitFor();
    await env.check(elsa, 'p01-min-plan-phone');
  });

  it('lets Elsa tick off a responsibility, and keeps it ticked', async () => {
    const item = elsa.getByRole('checkbox', { name: responsibility });
    assert.equal(await item.isChecked(), false);
    await item.check();
    await elsa
      .getByRole('status')
      .getByText(/är avbockat/)
      .waitFor();
    await elsa.reload();
    await elsa.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
    assert.equal(await elsa.getByRole('checkbox', { name: responsibility }).isChecked(), true);
  });

  it('lets Elsa ask for another time with a message', async () => {
    const next = elsa.getByRole('region', { name: 'Ditt nästa steg' });
    await next.getByRole('button', { name: 'Jag vill ha en annan tid' }).click();
    await next.getByLabel('Vilka tider passar dig?').fill('Förmiddagar passar bäst');
    await env.check(elsa, 'p02-ask-other-time-phone');
    await next.getByRole('button', { name: 'Skicka' }).click();
    await next.getByText('Tack! Vården får veta att du vill ha en annan tid').waitFor();
    await next.getByText('Du har bett om en annan tid').waitFor();
    await next.getByText('Du skrev: Förmiddagar passar bäst').waitFor();
  });

  it('shows both on the worklist of Elsa’s fast vårdkontakt', async () => {
    const nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    const notifications = nurse.getByRole('region', { name: /Olästa notiser/ });
    await notifications.getByText(`Bockade av: ${responsibility}`).waitFor();
    await notifications
      .getByText(/Vill ha en annan tid för nästa kontakt: ”Förmiddagar passar bäst”/)
      .waitFor();
    const row = nurse.getByRole('row', { name: new RegExp(ELSA.name) });
    await row.getByText('Patienten vill byta tid').waitFor();
    await env.check(nurse, 'p03-worklist-patient-requests');
  });

  it('lets Elsa take part: her own words, a proposed goal and the 7 questions', async () => {
    await elsa
      .getByRole('navigation', { name: 'Meny för din plan' })
      .getByRole('link', { name: 'Jag är med' })
      .click();
    await elsa.getByRole('heading', { level: 1, name: 'Jag är med' }).waitFor();
    await elsa.getByLabel('Skriv med dina egna ord').fill('Att kunna gå till affären själv.');
    await elsa.getByRole('button', { name: 'Spara', exact: true }).click();
    await elsa.getByText('Sparat. Vården ser det du skrev.').first().waitFor();

    const goals = elsa.getByRole('region', { name: 'Föreslå ett mål' });
    await goals.getByLabel('Ditt mål').fill('Orka gå till brevlådan varje dag');
    await goals.getByLabel('Må bättre').check();
    await goals.getByRole('button', { name: 'Skicka förslaget' }).click();
    await goals.getByText('Tack! Ditt förslag är skickat till vården.').waitFor();
    await goals.getByText('Orka gå till brevlådan varje dag').waitFor();

    const questions = elsa.getByRole('region', { name: 'Hur fungerar din vård?' });
    await questions.getByRole('button', { name: 'Spara mina svar' }).click();
    await questions.getByText('Svara på alla frågor först.').waitFor();
    const groups = questions.getByRole('group');
    const count = await groups.count();
    assert.equal(count, 7);
    for (let i = 0; i < count; i++) await groups.nth(i).getByLabel('Ja', { exact: true }).check();
    await questions.getByRole('button', { name: 'Spara mina svar' }).click();
    await questions.getByText('Tack! Dina svar är sparade.').waitFor();
    await env.check(elsa, 'p04-jag-ar-med-phone');

    // On Min plan the proposal shows as hers, waiting for care.
    await elsa.getByRole('link', { name: 'Min plan' }).first().click();
    await elsa.getByText('Orka gå till brevlådan varje dag').waitFor();
    await elsa.getByText('Ditt förslag, vården har inte tittat på det ännu').waitFor();
  });

  it('gives and takes back consent for the municipal home care, whose nurse is denied at once', async () => {
    // The demo gives Elsa's consent to her mobile team's home care (seed/mobile-teams.ts); this
    // story starts from before she gave it.
    await env.db.query('delete from consent where patient_id = $1 and unit_id = $2', [elsaId, HEMSJUKVARD]);
    const nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.kommunskoterska.id);
    await nurse.goto(`/patient/${elsaId}`);
    await nurse.getByRole('heading', { level: 1, name: 'Patienten visas inte' }).waitFor();

    await elsa.getByRole('link', { name: 'Samtycke och logg' }).click();
    await elsa.getByRole('heading', { level: 1, name: 'Samtycke och logg' }).waitFor();
    const consent = elsa.getByRole('region', { name: 'Vem får se min plan?' });
    await consent.getByText('Du har inget samtycke som gäller just nu.').waitFor();
    await consent.getByLabel('Ge samtycke till en enhet').selectOption(HEMSJUKVARD);
    await consent.getByRole('button', { name: 'Ge samtycke', exact: true }).click();
    await consent.getByText(`Tack! ${hemsjukvardName} får nu se din plan.`).waitFor();

    await nurse.reload();
    await nurse.getByRole('heading', { level: 1, name: ELSA.name }).waitFor();
    // Her own words, from Jag är med, show to staff as hers.
    await nurse.getByText('Att kunna gå till affären själv.').waitFor();

    // Her reading shows in Elsa's log.
    await elsa.reload();
    const log = elsa.getByRole('region', { name: 'Vilka har tittat på min plan?' });
    await log
      .getByRole('cell', { name: new RegExp(hemsjukvardName) })
      .first()
      .waitFor();
    await env.check(elsa, 'p05-samtycke-phone');

    await elsa
      .getByRole('region', { name: 'Vem får se min plan?' })
      .getByRole('button', { name: `Ta tillbaka samtycket för ${hemsjukvardName}` })
      .click();
    await elsa.getByText(`Samtycket för ${hemsjukvardName} är borttaget.`).first().waitFor();
    // The withdrawn consent stays visible, folded away, with the day it was withdrawn.
    const earlier = elsa.getByRole('region', { name: 'Vem får se min plan?' }).locator('details.earlier');
    await earlier.getByText('Tidigare samtycke (1)').click();
    await earlier.getByText(/tillbakataget/).waitFor();

    await nurse.reload();
    await nurse.getByRole('heading', { level: 1, name: 'Patienten visas inte' }).waitFor();
  });

  it('sets and lifts a spärr', async () => {
    const blocks = elsa.getByRole('region', { name: 'Spärra' });
    await blocks.getByText('Du har inga spärrar.').waitFor();
    await blocks.getByLabel('Enhet', { exact: true }).selectOption(HEMSJUKVARD);
    await blocks.getByRole('button', { name: 'Spärra', exact: true }).click();
    await blocks.getByText('Spärren är lagd.').waitFor();
    await blocks.getByRole('button', { name: `Ta bort spärren för ${hemsjukvardName}` }).click();
    await blocks.getByText(`Spärren för ${hemsjukvardName} är borttagen.`).waitFor();
    await blocks.getByText('Du har inga spärrar.').waitFor();
    const removed = blocks.locator('details.earlier');
    await removed.getByText('Borttagen spärr (1)').click();
    await removed.getByText(hemsjukvardName).waitFor();
    await removed.getByText(/borttagen \d/).waitFor();
    await env.check(elsa, 'patient-consent-lifted-block');
  });

  it('lets a närstående read the plan without any way to change it, until Elsa takes the right back', async () => {
    const taken = new Set(
      (await env.db.query<{ identifier: string }>('select identifier from patient')).map((r) => r.identifier),
    );
    const pnr = (await loadTestPersonnummer()).find((p) => !taken.has(p) && p.startsWith('19'))!;
    const kin = { pnr: `${pnr.slice(0, 8)}-${pnr.slice(8)}`, givenName: 'Bertil', familyName: 'Lindqvist' };

    await elsa.getByRole('link', { name: 'Närstående' }).click();
    await elsa.getByRole('heading', { level: 1, name: 'Närstående och ombud' }).waitFor();
    await elsa.getByLabel('Personnummer').fill(kin.pnr);
    await elsa.getByLabel('Förnamn').fill(kin.givenName);
    await elsa.getByLabel('Efternamn').fill(kin.familyName);
    await elsa.getByLabel('Får läsa till och med').fill(dayFromNow(30));
    await elsa.getByRole('button', { name: 'Ge rätt att läsa' }).click();
    await elsa.getByText('Klart! Bertil Lindqvist kan nu läsa din plan.').first().waitFor();
    const list = elsa.getByRole('region', { name: 'De här kan läsa din plan' });
    await list.getByText('Bertil Lindqvist', { exact: true }).waitFor();
    await env.check(elsa, 'p06-narstaende-phone');

    const bertil = await env.newPage(PHONE);
    await bertil.goto('/logga-in');
    await bertil.getByLabel(/Annat personnummer/).fill(kin.pnr);
    await bertil.getByRole('button', { name: 'Logga in', exact: true }).click();
    await bertil.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
    await bertil.getByText('Du har ingen plan ännu.').waitFor();
    await env.check(bertil, 'p07a-narstaende-min-plan-phone');
    await bertil.getByRole('link', { name: `Läs planen för ${ELSA.name}` }).click();
    await bertil.getByRole('heading', { level: 1, name: `Planen för ${ELSA.name}` }).waitFor();
    await bertil.getByText(responsibility).first().waitFor();
    await bertil.getByRole('link', { name: /Ring Karin Lindberg/ }).waitFor();
    // Read only: no checkbox, no text field, no button that changes the plan.
    const main = bertil.getByRole('main');
    assert.equal(await main.getByRole('checkbox').count(), 0);
    assert.equal(await main.getByRole('textbox').count(), 0);
    assert.equal(await main.getByRole('button').count(), 0);
    await env.check(bertil, 'p07-narstaende-reads-phone');
    // The server refuses a change from a närstående as if the plan were not there.
    const status = await bertil.evaluate(
      `fetch('/auth/csrf').then((r) => r.json()).then(({ csrfToken }) =>
        fetch('/api/patients/${elsaId}/contract/next-contact/response', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
          body: JSON.stringify({ response: 'confirmed', at: new Date().toISOString() }),
        })).then((r) => r.status)`,
    );
    assert.equal(status, 404);

    await list.getByRole('button', { name: 'Ta bort rätten för Bertil Lindqvist' }).click();
    await elsa.getByText('Bertil Lindqvist kan inte läsa din plan längre.').first().waitFor();
    await bertil.reload();
    await bertil.getByText('Du kan inte läsa den här planen.', { exact: false }).waitFor();
  });

  it('prints the same plain-Swedish document as the staff print view', async () => {
    await elsa.getByRole('link', { name: 'Skriv ut' }).click();
    await elsa.getByRole('heading', { level: 1, name: 'Ditt patientkontrakt' }).waitFor();
    await elsa.getByText(`För ${ELSA.name}, 19380312-9182`).waitFor();
    await elsa.getByRole('button', { name: 'Skriv ut eller spara som PDF' }).waitFor();
    await env.check(elsa, 'p08-utskrift-phone');
  });

  it('works on a desktop and in English', async () => {
    const desk = await env.newPage();
    await logInPatient(desk, ELSA.name);
    await desk
      .getByRole('region', { name: 'Ditt nästa steg' })
      .getByText('Du har bett om en annan tid')
      .waitFor();
    await env.check(desk, 'p09-min-plan-desktop');
    await desk.getByRole('link', { name: 'Jag är med' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Jag är med' }).waitFor();
    await env.check(desk, 'p10-jag-ar-med-desktop');
    await desk.getByRole('link', { name: 'Samtycke och logg' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Samtycke och logg' }).waitFor();
    await env.check(desk, 'p11-samtycke-desktop');
    await desk.getByRole('link', { name: 'Närstående' }).click();
    await desk.getByRole('heading', { level: 1, name: 'Närstående och ombud' }).waitFor();
    await env.check(desk, 'p12-narstaende-desktop');
    await desk.getByRole('link', { name: 'Min plan' }).first().click();
    await desk.getByRole('button', { name: 'English' }).click();
    await desk.getByRole('heading', { level: 1, name: 'My plan' }).waitFor();
    await desk.getByRole('region', { name: 'Your next step' }).waitFor();
    await env.check(desk, 'p13-my-plan-english');
  });
});
