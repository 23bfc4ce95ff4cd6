/**
 * Registering a patient in real Chromium on a 390 px phone: Karin Lindberg (distriktssköterska)
 * types only a personnummer, and the population register fills in the name (shown back as the
 * register gave it); a number the register does not know is told at the field; a person without
 * a number gets a reservnummer from the product. axe on each screen, screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };
// A Skatteverket test personnummer from the end of the list, far from the demo's register.
const NOT_IN_REGISTER = '202409292394';

describe('a nurse registers a new patient on her phone', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let inRegister: { identifier: string; name: string };

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
    const taken = await env.db.query<{ n: number }>(
      `select (select count(*) from patient where identifier = $1)
            + (select count(*) from population_person where identifier = $1) as n`,
      [NOT_IN_REGISTER],
    );
    assert.equal(Number(taken[0]!.n), 0, 'the demo already has this number');
    // Someone in the demo's register who is not a patient yet (src/seed/population-register.ts).
    const person = await env.db.query<{ identifier: string; name: string }>(
      `select pp.identifier, pp.given_name || ' ' || pp.family_name as name from population_person pp
        where not exists (select 1 from patient p where p.identifier = pp.identifier) order by pp.identifier limit 1`,
    );
    inRegister = person[0]!;
    nurse = await env.newPage(PHONE);
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
  });
  after(async () => {
    await env?.close();
  });

  it('tells at the field what is missing, and a number the register does not know', async () => {
    await nurse.goto('/sok');
    await nurse.getByRole('link', { name: 'Registrera ny patient' }).click();
    await nurse.getByRole('heading', { level: 1, name: 'Registrera ny patient' }).waitFor();
    await env.check(nurse, '70-register-form-phone');
    await nurse.getByRole('button', { name: 'Hämta från folkbokföringen och registrera' }).click();
    await nurse.getByText('Skriv patientens personnummer eller samordningsnummer.').waitFor();
    await nurse.getByLabel(/^Personnummer eller samordningsnummer/).fill(NOT_IN_REGISTER);
    await nurse.getByRole('button', { name: 'Hämta från folkbokföringen och registrera' }).click();
    await nurse
      .getByText(/Numret finns inte i folkbokföringen/)
      .first()
      .waitFor();
    const field = nurse.getByLabel(/^Personnummer eller samordningsnummer/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await env.check(nurse, '71-register-unknown-phone');
    const rows = await env.db.query('select 1 from patient where identifier = $1', [NOT_IN_REGISTER]);
    assert.equal(rows.length, 0);
  });

  it('registers by personnummer with the name the register gives, and opens the patient', async () => {
    const typed = `${inRegister.identifier.slice(0, 8)}-${inRegister.identifier.slice(8)}`;
    await nurse.getByLabel(/^Personnummer eller samordningsnummer/).fill(typed);
    await nurse.getByRole('button', { name: 'Hämta från folkbokföringen och registrera' }).click();
    // The polite status region announces the same words: wait for the card in the page.
    await nurse.locator('#main').getByText(`${inRegister.name} är registrerad.`).waitFor();
    await nurse.getByText('Uppgifterna kommer från folkbokföringen.').waitFor();
    await env.check(nurse, '72-registered-from-register-phone');
    await nurse.getByRole('link', { name: 'Öppna patienten' }).click();
    await nurse.getByRole('heading', { level: 1, name: new RegExp(inRegister.name) }).waitFor();
    // The register read again from the patient's page: nothing new.
    await nurse.getByRole('button', { name: 'Läs om från folkbokföringen' }).click();
    await nurse.getByText('Folkbokföringen har inget nytt om patienten.').first().waitFor();
    await env.check(nurse, '75-patient-register-card-phone');
  });

  it('registers a person without a number under a reservnummer the product issues', async () => {
    await nurse.goto('/registrera');
    await nurse.getByLabel('Utan personnummer (får ett reservnummer)').check();
    await nurse.getByLabel(/^Förnamn/).fill('Okänd');
    await nurse.getByLabel(/^Efternamn/).fill('Kvinna');
    await nurse.getByLabel('Kvinna', { exact: true }).check();
    await env.check(nurse, '73-register-reservnummer-form-phone');
    await nurse.getByRole('button', { name: 'Registrera med reservnummer' }).click();
    await nurse.locator('#main').getByText('Okänd Kvinna är registrerad.').waitFor();
    const issued = await nurse.locator('.register-facts dd').first().textContent();
    assert.match(issued ?? '', /^PK\d{10}$/);
    await env.check(nurse, '74-registered-reservnummer-phone');
    // Her page says who can merge the reservnummer once her personnummer is known.
    await nurse.getByRole('link', { name: 'Öppna patienten' }).click();
    await nurse.getByText(/När personnumret är känt kan verksamhetschefen föra samman dem/).waitFor();
  });
});
