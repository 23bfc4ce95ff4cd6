/**
 * Every screen of the staff app in real Chromium: it renders, axe-core finds no serious or
 * critical violation, and a screenshot is saved to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysOverflow = async (page: Page): Promise<number> =>
  Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));

const ELSA = '193803129182';

describe('the staff app, screen by screen', () => {
  let env: BrowserEnv;
  let page: Page;

  before(async () => {
    env = await startBrowserEnv();
    page = await env.newPage();
  });
  after(async () => {
    await env?.close();
  });

  it('shows the login screen with the demo users', async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Logga in' }).waitFor();
    await env.check(page, '01-login');
  });

  it('shows the worklist after login', async () => {
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    await page.getByRole('heading', { name: /Alla mina patienter/ }).waitFor();
    await page.getByText('Uppdateras automatiskt').waitFor();
    await env.check(page, '02-worklist');
  });

  it('finds a patient by personnummer in any common format', async () => {
    await page.getByRole('link', { name: 'Sök patient' }).click();
    await page.getByLabel('Personnummer eller namn').fill('380312-9182');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByRole('link', { name: 'Elsa Lindqvist' }).waitFor();
    await env.check(page, '03-search');
  });

  it('shows the whole contract on the patient page', async () => {
    await page.getByRole('link', { name: 'Elsa Lindqvist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Elsa Lindqvist' }).waitFor();
    for (const heading of [
      'Nästa kontakt',
      'Fasta kontakter',
      'Vad är viktigt för patienten',
      'Mål',
      'Samordnad plan',
      'Kopplade planer',
    ]) {
      await page.getByRole('heading', { level: 2, name: new RegExp(`^${heading}`) }).waitFor();
    }
    await env.check(page, '04-patient');
    assert.ok(ELSA);
  });

  it('does not break at 390 px', async () => {
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.loginAs(phone, demoStaff.distriktsskoterska.id);
    await env.check(phone, '02-worklist-390');
    const overflow = await sidewaysOverflow(phone);
    assert.ok(overflow <= 0, `the worklist scrolls sideways by ${overflow}px`);
    await phone.goto(page.url());
    await phone.getByRole('heading', { level: 1, name: 'Elsa Lindqvist' }).waitFor();
    await env.check(phone, '04-patient-390');
    const patientOverflow = await sidewaysOverflow(phone);
    assert.ok(patientOverflow <= 0, `the patient page scrolls sideways by ${patientOverflow}px`);
  });
});

describe('the staff app, the screens around the patient', () => {
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
  });
  after(async () => {
    await env?.close();
  });

  it('shows the unit choice', async () => {
    const page = await env.newPage();
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    await page.getByRole('link', { name: 'Mina patienter' }).waitFor();
    await page.goto('/valj-enhet');
    await page.getByRole('heading', { level: 1, name: 'Välj enhet' }).waitFor();
    await env.check(page, '15-unit-choice');
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mina patienter' }).waitFor();
  });

  it('answers an unknown or hidden patient with the access options', async () => {
    const page = await env.newPage();
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    await page.goto('/patient/00000000-0000-4000-8000-000000000000');
    await page.getByRole('heading', { level: 1, name: 'Patienten visas inte' }).waitFor();
    await env.check(page, '16-not-found');
  });

  it('lets a physician at another provider establish access: relationship, then consent', async () => {
    const page = await env.newPage();
    await env.loginAs(page, demoStaff.privatLakare.id);
    await page.getByRole('link', { name: 'Sök patient' }).click();
    await page.getByLabel('Personnummer eller namn').fill('19380312-9182');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByText('Ingen patient visas').waitFor();
    await page.getByRole('link', { name: 'Registrera samtycke' }).click();
    await page.getByRole('heading', { level: 1, name: 'Få åtkomst till en patient' }).waitFor();
    assert.equal(await page.getByLabel('Patientens personnummer').inputValue(), '19380312-9182');
    await env.check(page, '17-access');
    // An empty reason is named at its field, not as a bare "too short" from the server.
    await page.getByRole('button', { name: 'Registrera vårdrelation' }).click();
    await page.getByText('Skriv varför ni har en vårdrelation, minst 3 tecken.').waitFor();
    await page.getByLabel('Varför har ni en vårdrelation?').fill('Besök på mottagningen i dag');
    await page.getByRole('button', { name: 'Registrera vårdrelation' }).click();
    await page.locator('#main').getByText('Vårdrelationen är registrerad.').waitFor();
    await page.getByRole('button', { name: 'Registrera samtycke' }).click();
    await page.locator('#main').getByText('Samtycket är registrerat.').waitFor();
    await page.getByText('Visa nödåtkomst').click();
    await page.getByRole('button', { name: 'Begär nödåtkomst' }).click();
    await page.getByLabel('Skäl till nödåtkomsten').waitFor();
    await env.check(page, '18-access-emergency');
    await page.getByRole('link', { name: 'Öppna patienten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Elsa Lindqvist' }).waitFor();
  });

  it('speaks English when asked', async () => {
    const page = await env.newPage();
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'My patients' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
    await env.check(page, '19-worklist-en');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mina patienter' }).waitFor();
  });
});
