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
import { addRegisterPerson } from '../helpers/person-register.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };
// Skatteverket test personnummer from the end of the list, far from the demo's patients.
const IN_REGISTER = '202409282387';
const NOT_IN_REGISTER = '202409292394';

describe('a nurse registers a new patient on her phone', () => {
  let env: BrowserEnv;
  let nurse: Page;

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
    const taken = await env.db.query<{ n: number }>(
      'select count(*)::int as n from patient where identifier = any($1)',
      [[IN_REGISTER, NOT_IN_REGISTER]],
    );
    assert.equal(taken[0]!.n, 0, 'the demo already has these numbers');
    await addRegisterPerson(env.db, IN_REGISTER, { givenName: 'Alva', familyName: 'Registersson' });
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
    await nurse.getByLabel(/^Personnummer eller samordningsnummer/).fill('20240928-2387');
    await nurse.getByRole('button', { name: 'Hämta från folkbokföringen och registrera' }).click();
    await nurse.getByText('Alva Registersson är registrerad.').waitFor();
    await nurse.getByText('Uppgifterna kommer från folkbokföringen.').waitFor();
    await env.check(nurse, '72-registered-from-register-phone');
    await nurse.getByRole('link', { name: 'Öppna patienten' }).click();
    await nurse.getByRole('heading', { level: 1, name: /Alva Registersson/ }).waitFor();
  });

  it('registers a person without a number under a reservnummer the product issues', async () => {
    await nurse.goto('/registrera');
    await nurse.getByLabel('Utan personnummer (får ett reservnummer)').check();
    await nurse.getByLabel(/^Förnamn/).fill('Okänd');
    await nurse.getByLabel(/^Efternamn/).fill('Kvinna');
    await nurse.getByLabel('Kvinna', { exact: true }).check();
    await env.check(nurse, '73-register-reservnummer-form-phone');
    await nurse.getByRole('button', { name: 'Registrera med reservnummer' }).click();
    await nurse.getByText('Okänd Kvinna är registrerad.').waitFor();
    const issued = await nurse.locator('.register-facts dd').first().textContent();
    assert.match(issued ?? '', /^PK\d{10}$/);
    await env.check(nurse, '74-registered-reservnummer-phone');
  });
});
