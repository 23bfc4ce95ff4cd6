/**
 * Guiding a municipal nurse and the patient to consent, and the question battery's steps, in
 * real Chromium. Margareta Olsson (demo) has Hemsjukvården Exempelstad in her plan and has not
 * consented to it: the nurse there finds nothing, is told that consent is the way and lands on
 * the access page with the number filled in, consent first and nödåtkomst last; Margareta's Min
 * plan tells her that home care cannot see her plan, she consents with one click, and the
 * nurse's next search finds her. Every screen is checked for internal words (seed, ids, enum
 * keys) reaching the reader.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const MARGARETA = { personnummer: '193601016987', typed: '19360101-6987', name: 'Margareta Olsson' };
const HEMSJUKVARD = 'SE2120000000-1100';
const CENTRUM = 'SE2321000000-V101';

/**
 * Words that belong to the code, never on a screen: a seed, a uuid, an HSA-id, the enum keys
 * of the contract and the access rule.
 */
const INTERNAL = [
  /\bseed\b/i,
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i,
  /\bSE\d{10}-[A-Z0-9]+\b/,
  /\b(?:fast-vardkontakt|fast-lakarkontakt|behandlande-roll|not-needed-now|i-person|pagaende|forbattra|planerad|own-unit|same-provider|whatMatters|patientResponsibilities|coordinationWanted)\b/,
];

async function assertNoInternalWords(page: Page, screen: string): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const word of INTERNAL) assert.doesNotMatch(text, word, `${screen} shows an internal word`);
}

async function search(page: Page, q: string): Promise<void> {
  await page.getByRole('link', { name: 'Sök patient' }).click();
  await page.getByLabel('Personnummer eller namn').fill(q);
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
}

describe('guidance to consent, and the named steps of the question battery', () => {
  let env: BrowserEnv;
  let nurse: Page;

  before(async () => {
    env = await startBrowserEnv();
    nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.kommunskoterska.id);
  });
  after(async () => {
    await env?.close();
  });

  it('tells the municipal nurse that consent is the way, without saying whether the person exists', async () => {
    await search(nurse, MARGARETA.typed);
    await nurse.getByText('Ingen patient visas').waitFor();
    await nurse.getByText('Patienten kan ge samtycke till din enhet.').waitFor();
    await env.check(nurse, 'consent-01-search-none');
    await assertNoInternalWords(nurse, 'search');
    // The same words for a number nobody has: nothing tells the two apart.
    const none = await nurse.locator('.search-none').innerText();
    await search(nurse, '19360101-9999');
    await nurse.getByText('Ingen patient visas').waitFor();
    assert.equal(await nurse.locator('.search-none').innerText(), none);
  });

  it('answers a birth date alone at the field, in Swedish', async () => {
    for (const q of ['19360101', '360101', '1936-01-01']) {
      await nurse.getByLabel('Personnummer eller namn').fill(q);
      await nurse.getByRole('button', { name: 'Sök', exact: true }).click();
      await nurse.getByText('Ett födelsedatum räcker inte. Ange hela personnumret eller ett namn.').waitFor();
    }
    // Sent anyway (a link, a bookmark): the server says the same at the field.
    await nurse.goto('/sok?q=19360101');
    await nurse.getByText('Ett födelsedatum räcker inte. Ange hela personnumret eller ett namn.').waitFor();
    await env.check(nurse, 'consent-02-birth-date');
  });

  it('opens the access page with the number filled in, consent first and nödåtkomst last', async () => {
    await search(nurse, MARGARETA.typed);
    await nurse.getByRole('link', { name: 'Registrera samtycke' }).click();
    await nurse.getByRole('heading', { level: 1, name: 'Få åtkomst till en patient' }).waitFor();
    assert.equal(await nurse.getByLabel('Patientens personnummer').inputValue(), MARGARETA.typed);
    const headings = await nurse.locator('#main h2').allInnerTexts();
    assert.deepEqual(headings, [
      'Patientens samtycke',
      'Vårdrelation inom samma vårdgivare',
      'Nödåtkomst, bara i nödsituationer',
    ]);
    // Nödåtkomst is folded away: its button shows only when asked for.
    assert.equal(await nurse.getByRole('button', { name: 'Begär nödåtkomst' }).isVisible(), false);
    await env.check(nurse, 'consent-03-access');
    await assertNoInternalWords(nurse, 'access');
  });

  it('tells Margareta that home care cannot see her plan; one click consents, and the nurse finds her', async () => {
    const patient = await env.newPage({ width: 390, height: 844 });
    await patient.goto('/logga-in');
    await patient.getByRole('button', { name: `Logga in som ${MARGARETA.name}` }).click();
    await patient.getByRole('heading', { level: 1, name: 'Min plan' }).waitFor();
    const unit = (
      await env.db.query<{ name: string }>('select name from care_unit where id = $1', [HEMSJUKVARD])
    )[0]!.name;
    await patient
      .getByText(`${unit} finns med i din plan men kan inte se den. Vill du ge dem samtycke?`)
      .waitFor();
    await env.check(patient, 'consent-04-my-plan-hint');
    await assertNoInternalWords(patient, 'Min plan');
    await patient.getByRole('button', { name: `Ge samtycke till ${unit}` }).click();
    await patient.getByText(`Tack! ${unit} får nu se din plan.`).waitFor();
    await env.check(patient, 'consent-05-my-plan-given');

    await search(nurse, MARGARETA.typed);
    await nurse.getByRole('link', { name: MARGARETA.name }).click();
    await nurse.getByRole('heading', { level: 1, name: MARGARETA.name }).waitFor();
    await env.check(nurse, 'consent-06-nurse-sees-plan');
    await assertNoInternalWords(nurse, 'patient page');
  });

  it('names every step of the battery, moves to any of them, and asks each thing once', async () => {
    const page = await env.newPage({ width: 1366, height: 768 });
    await env.loginAs(page, demoStaff.distriktsskoterska.id);
    const [patient] = await env.db.query<{ id: string }>(
      `select p.id from patient p
        where p.listed_unit_id = $1 and not exists (select 1 from contract c where c.patient_id = p.id)
        order by p.identifier limit 1`,
      [CENTRUM],
    );
    await page.goto(`/patient/${patient!.id}/nytt-kontrakt`);
    await page.getByRole('heading', { level: 1, name: 'Upprätta patientkontrakt' }).waitFor();
    const setLabels = await page.locator('fieldset label').allInnerTexts();
    assert.ok(
      setLabels.some((l) => l.includes('Region Gävleborg, handlingsplan Patientkontrakt 2021')),
      setLabels.join(' | '),
    );
    await assertNoInternalWords(page, 'flow start');
    await page.getByLabel(/Region Gävleborg/).check();
    await page.getByRole('button', { name: 'Börja' }).click();

    const steps = page.getByRole('navigation', { name: 'Frågor' }).getByRole('button');
    const names = await steps.allInnerTexts();
    assert.equal(names.length, 9, names.join(' | '));
    for (const name of names) assert.match(name, /^\s*\S+\s+\p{L}/u, `a step without a name: ${name}`);
    // Every step is reachable from the list and marks itself as the current one.
    for (let i = names.length - 1; i >= 0; i--) {
      await steps.nth(i).click();
      assert.equal(await steps.nth(i).getAttribute('aria-current'), 'step');
    }
    await steps.nth(1).click();
    await page.getByRole('heading', { name: /Gemensamt mål/ }).waitFor();
    // One entry, no free-text box asking the same again.
    assert.equal(await page.getByLabel('Med patientens egna ord').count(), 0);
    await page.getByRole('button', { name: 'Lägg till mål' }).click();
    await page
      .getByRole('group', { name: 'Mål 1' })
      .getByLabel('Mål', { exact: true })
      .fill('Gå till affären själv');
    await steps.nth(2).click();
    assert.equal(await page.getByLabel('Med patientens egna ord').count(), 0);
    await page.getByRole('button', { name: 'Lägg till', exact: true }).click();
    await page.getByLabel('Eget ansvar 1').fill('Väga mig varje morgon');
    await env.check(page, 'consent-07-flow-steps');
    // The goal step is answered (its entry is the answer) and says so.
    assert.match((await steps.nth(1).innerText()).trim(), /^✓/);
    await steps.nth(names.length - 1).click();
    await page.getByRole('heading', { name: 'Sammanfattning', level: 2 }).waitFor();
    await page.getByText('Gå till affären själv').first().waitFor();
    await page.getByText('Väga mig varje morgon').first().waitFor();
    await assertNoInternalWords(page, 'flow summary');
  });
});
