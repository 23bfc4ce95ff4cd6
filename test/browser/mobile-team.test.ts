/**
 * The acute deterioration at home, in real Chromium: Lena Åberg (kommunsjuksköterska) on a
 * 390 px phone assesses Elsa Lindqvist (NEWS2 live as she types), chooses "Kontakta läkare nu",
 * is shown whom to call first and sends the SBAR; the team's physician on call sees it on Akuta
 * ärenden without a reload, acknowledges and decides "hembesök i dag 14:00"; Lena sees the
 * acknowledgement and the decision arrive; the plan shows the new activity. Every new screen is
 * checked with axe and photographed; the time from "Skicka SBAR" to the physician's screen
 * showing it is measured (test-artifacts/escalation-latency.json).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, writeArtifact, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };
const ELSA = { personnummer: '193803129182', name: 'Elsa Lindqvist' };

describe('a nurse escalates to the physician on call, who answers live', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let physician: Page;
  let elsaId: string;
  let onCallName: string;

  before(async () => {
    env = await startBrowserEnv();
    const rows = await env.db.query<{ id: string }>(`select id from patient where identifier = $1`, [
      ELSA.personnummer,
    ]);
    elsaId = rows[0]!.id;
    onCallName = `${demoStaff.allmanlakare.givenName} ${demoStaff.allmanlakare.familyName}`;
    nurse = await env.newPage(PHONE);
    physician = await env.newPage();
  });
  after(async () => {
    await env?.close();
  });

  it('the physician on call opens Akuta ärenden, connected live', async () => {
    await env.loginAs(physician, demoStaff.allmanlakare.id);
    await physician.getByRole('link', { name: 'Akuta ärenden' }).click();
    await physician.getByRole('heading', { level: 1, name: 'Akuta ärenden' }).waitFor();
    await physician.getByText('Uppdateras direkt').waitFor();
    await env.check(physician, '40-larm-before');
  });

  it('Lena assesses Elsa on her phone: NEWS2 and the advice while she types, wishes beside it', async () => {
    await env.loginAs(nurse, demoStaff.kommunskoterska.id);
    await nurse.goto(`/patient/${elsaId}`);
    await nurse.getByRole('heading', { level: 1, name: ELSA.name }).waitFor();
    await nurse.getByText(/ring dygnet runt/).waitFor();
    await nurse.getByRole('link', { name: 'Ny bedömning' }).click();
    await nurse.getByRole('heading', { level: 1, name: 'Bedömning' }).waitFor();
    await nurse.getByRole('heading', { name: 'Önskemål och begränsningar' }).waitFor();
    await nurse.getByText('NEWS2 enligt Royal College of Physicians 2017').waitFor();

    const respiratory = nurse.getByLabel('Andningsfrekvens');
    assert.equal(await respiratory.getAttribute('inputmode'), 'numeric');
    await respiratory.fill('22'); // 2
    await nurse.getByLabel('Syremättnad (SpO₂)').fill('94'); // 1 on scale 1
    await nurse.getByLabel('Nej, luft').check(); // 0
    await nurse.getByLabel('Puls').fill('105'); // 1
    await nurse.getByLabel('Systoliskt blodtryck').fill('108'); // 1
    await nurse.getByLabel('Temperatur').fill('38,3'); // 1
    await nurse.getByText('Fyll i alla värden').waitFor();
    await nurse.getByLabel('A – vaken (alert)').check(); // 0
    await nurse.getByText('Poäng: 6', { exact: true }).waitFor();
    await nurse.getByText('Medelhög risk', { exact: true }).waitFor();
    await nurse.getByText('Råd, inte beslut').waitFor();

    // An impossible value is refused at the field, before anything is sent.
    await nurse.getByLabel('Puls').fill('400');
    await nurse.getByText('Fyll i alla värden').waitFor();
    await nurse.getByLabel('Varför kontaktas vården?').fill('Mer andfådd sedan i går kväll, äter sämre.');
    await nurse.getByLabel('Din egen bedömning').fill('Blek och trött, svarar långsammare än vanligt.');
    await nurse.getByLabel('Kontakta läkare nu').check();
    await nurse.getByRole('button', { name: 'Spara bedömningen' }).click();
    await nurse
      .getByText(/Puls 400 slag\/min är inte möjligt/)
      .first()
      .waitFor();
    await nurse.getByLabel('Puls').fill('105');
    await nurse.getByText('Poäng: 6', { exact: true }).waitFor();
    await env.check(nurse, '41-assessment-phone');
  });

  it('after saving, the number to call comes first, then the SBAR to edit and send', async () => {
    await nurse.getByRole('button', { name: 'Spara bedömningen' }).click();
    const call = nurse.getByRole('link', { name: new RegExp(`^Ring ${onCallName}`) });
    await call.waitFor();
    assert.match((await call.getAttribute('href')) ?? '', /^tel:\+?\d+$/);
    await nurse.getByText('Skicka ersätter aldrig samtalet.', { exact: false }).waitFor();
    // The call link sits above the SBAR on the phone.
    const callBox = (await call.boundingBox())!;
    const sbarBox = (await nurse.getByRole('heading', { name: 'SBAR till läkaren' }).boundingBox())!;
    assert.ok(callBox.y < sbarBox.y, 'the call link comes before the SBAR');
    const situation = nurse.getByLabel('S – Situation');
    assert.match(await situation.inputValue(), /Elsa/);
    await nurse.getByLabel('R – Rekommendation').fill('Jag behöver att läkare bedömer Elsa i dag.');
    await env.check(nurse, '42-call-and-sbar');
  });

  it('the SBAR reaches the physician’s screen live, without a reload', async () => {
    const card = physician.getByRole('article', { name: new RegExp(ELSA.name) });
    const startedAt = Date.now();
    await nurse.getByRole('button', { name: 'Skicka SBAR' }).click();
    await card.waitFor();
    const shownAfterMs = Date.now() - startedAt;
    writeArtifact('escalation-latency.json', {
      what: 'from clicking Skicka SBAR (nurse) to the card on the physician’s Akuta ärenden (no reload)',
      shownAfterMs,
    });
    await card.getByText('Jag behöver att läkare bedömer Elsa i dag.').waitFor();
    await card.getByRole('link', { name: /^Ring sjuksköterskan/ }).waitFor();
    await card.getByRole('link', { name: `Öppna planen: ${ELSA.name}` }).waitFor();
    await nurse.getByText(`SBAR är skickad till ${onCallName}.`).first().waitFor();
    await nurse.getByText('Väntar på att läkaren kvitterar.').waitFor();
    await env.check(physician, '43-larm-new');
  });

  it('the physician acknowledges and decides a home visit today at 14:00; Lena sees both live', async () => {
    const card = physician.getByRole('article', { name: new RegExp(ELSA.name) });
    await card.getByRole('button', { name: `Kvittera: ${ELSA.name}` }).click();
    await nurse.getByText(new RegExp(`${onCallName} har kvitterat`)).waitFor();

    await card.getByLabel('Hembesök av teamet').check();
    await card.getByLabel('Klockan').fill('14:00');
    await card.getByLabel('Till sjuksköterskan').fill('Jag kommer hem till Elsa. Ge vätska under tiden.');
    assert.equal(await card.getByLabel('Lägg till i patientens plan').isChecked(), true);
    // As an activity by default; the plan's next contact is the other choice for a visit with a time.
    assert.equal(await card.getByLabel('En aktivitet i planen').isChecked(), true);
    assert.equal(await card.getByLabel(/^Nästa kontakt i planen/).isChecked(), false);
    await env.check(physician, '44-larm-decision-form');
    await card.getByRole('button', { name: 'Skicka beslutet' }).click();
    await physician.getByText('Beslutet är skickat.').first().waitFor();

    await nurse.getByText('Läkarens beslut').waitFor();
    await nurse.getByText('Hembesök av teamet i dag 14:00').waitFor();
    await nurse.getByText('Jag kommer hem till Elsa. Ge vätska under tiden.').waitFor();
    await env.check(nurse, '45-decision-on-phone');
  });

  it('the plan shows the new activity, the team and the trend', async () => {
    await nurse.goto(`/patient/${elsaId}`);
    await nurse.getByRole('heading', { level: 1, name: ELSA.name }).waitFor();
    await nurse
      .getByText('Hembesök av teamet: Jag kommer hem till Elsa.', { exact: false })
      .first()
      .waitFor();
    await env.check(nurse, '46-plan-with-visit');

    await nurse.getByRole('link', { name: 'Mobilt team' }).click();
    await nurse.getByRole('heading', { level: 1, name: 'Mobilt team' }).waitFor();
    await nurse.getByRole('heading', { name: 'Bedömningar över tid' }).waitFor();
    await env.check(nurse, '47-mobile-team-phone');
  });

  it('the akutblad, the team page and Min plan’s call line', async () => {
    await physician.goto(`/patient/${elsaId}/akutblad`);
    await physician.getByRole('heading', { level: 1, name: 'Information vid akutbesök' }).waitFor();
    await physician.getByRole('heading', { name: 'Senaste SBAR' }).waitFor();
    // The assessments' date column never wraps: its cells are row headers, its heading a th.
    for (const cell of ['thead th', 'tbody th[scope="row"]'])
      assert.equal(
        await physician.evaluate(
          `getComputedStyle(document.querySelector('.akutblad table ${cell}')).whiteSpace`,
        ),
        'nowrap',
        cell,
      );
    await env.check(physician, '48-akutblad');

    await physician.getByRole('link', { name: 'Mitt team' }).click();
    await physician.getByRole('heading', { level: 1, name: 'Mitt team' }).waitFor();
    await physician.locator('.card-title a').first().click();
    await physician.getByRole('heading', { name: 'Svarar nu' }).waitFor();
    await env.check(physician, '49-team');

    const elsa = await env.newPage(PHONE);
    await elsa.goto('/logga-in');
    await elsa.getByRole('button', { name: `Logga in som ${ELSA.name}` }).click();
    await elsa.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
    await elsa.getByText(/Ditt mobila team, .* — ring dygnet runt:/).waitFor();
    await env.check(elsa, '50-my-plan-team');
  });
  it('a nurse of the team proposes an enrolment and the physician confirms it', async () => {
    const rows = await env.db.query<{ id: string; name: string }>(
      `select p.id, p.given_name || ' ' || p.family_name as name from patient p
       where p.listed_unit_id = $1 and p.identifier_kind = 'personnummer'
         and p.birth_date < date '1950-01-01'
         and not exists (select 1 from enrolment e where e.patient_id = p.id)
       order by p.identifier limit 1`,
      ['SE2321000000-V101'],
    );
    const patient = rows[0]!;
    const karin = await env.newPage();
    await env.loginAs(karin, demoStaff.distriktsskoterska.id);
    await karin.goto(`/patient/${patient.id}/mobilt-team`);
    await karin.getByText('Patienten är inte inskriven i något mobilt team.').waitFor();
    await karin.getByText('Föreslå inskrivning', { exact: true }).first().click();
    await karin.getByLabel('Tidvis sviktande').check();
    await karin.getByLabel('Försämras tidvis men är stabil däremellan').check();
    await env.check(karin, '51-enrolment-propose');
    await karin.getByRole('button', { name: 'Föreslå inskrivning' }).click();
    await karin.getByText('Föreslagen, väntar på bekräftelse').waitFor();
    await karin.getByText(/Föreslagen av Karin Lindberg/).waitFor();

    await physician.goto(`/patient/${patient.id}/mobilt-team`);
    await physician.getByRole('button', { name: 'Bekräfta inskrivningen' }).click();
    await physician.getByText(/Bekräftad av Johan Ek/).waitFor();
    await physician.getByText('Inskriven', { exact: true }).waitFor();
    await env.check(physician, '52-enrolment-confirmed');
  });
});
