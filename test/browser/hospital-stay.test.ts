/**
 * A stay in hospital recorded where the enrolment is shown, in real Chromium: Lena Åberg
 * (kommunsjuksköterska) on a 390 px phone registers Elsa Lindqvist's admission to the hospital,
 * sees the enrolment paused, then registers the discharge and is shown what the plan needs next
 * with a link to it; the plan's page shows Elsa's diagnoses. axe on each screen, screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };
const ELSA = '193803129182';

describe('a nurse records an admission and a discharge on her phone', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let elsaId: string;

  before(async () => {
    env = await startBrowserEnv();
    const rows = await env.db.query<{ id: string }>(`select id from patient where identifier = $1`, [ELSA]);
    elsaId = rows[0]!.id;
    nurse = await env.newPage(PHONE);
    await env.loginAs(nurse, demoStaff.kommunskoterska.id);
  });
  after(async () => {
    await env?.close();
  });

  it('registers the admission: the enrolment rests', async () => {
    await nurse.goto(`/patient/${elsaId}/mobilt-team`);
    await nurse.getByRole('heading', { level: 2, name: 'Vårdtillfällen på sjukhus' }).waitFor();
    await nurse.getByText('Registrera inläggning', { exact: true }).click();
    await nurse.getByLabel('Sjukhus eller klinik').selectOption('SE2321000000-S100');
    await env.check(nurse, '60-admission-form-phone');
    await nurse.getByRole('button', { name: 'Registrera inläggningen' }).click();
    await nurse.getByText(/^Inlagd sedan .* på Exempelstads sjukhus\.$/).waitFor();
    await nurse.getByText('Pausad (inlagd på sjukhus)').first().waitFor();
    await env.check(nurse, '61-in-hospital-phone');
    await nurse
      .locator('section[aria-labelledby="hospital-stays-title"]')
      .screenshot({ path: 'test-artifacts/screenshots/61b-in-hospital-section-phone.png' });
  });

  it('registers the discharge: the enrolment goes on, and the plan is one tap away', async () => {
    await nurse.getByRole('button', { name: 'Registrera utskrivningen' }).click();
    await nurse.getByRole('heading', { name: 'Efter utskrivningen' }).waitFor();
    // The enrolment is read again after the answer: the paused status goes a moment later.
    await nurse.getByText('Pausad (inlagd på sjukhus)').first().waitFor({ state: 'detached' });
    assert.equal(await nurse.getByText('Pausad (inlagd på sjukhus)').count(), 0);
    await nurse.getByText('Inskriven', { exact: true }).first().waitFor();
    await nurse.getByRole('table').getByText('Exempelstads sjukhus').waitFor();
    await env.check(nurse, '62-after-discharge-phone');
    // The section alone, to look at closely.
    await nurse
      .locator('section[aria-labelledby="hospital-stays-title"]')
      .screenshot({ path: 'test-artifacts/screenshots/62b-hospital-stays-section-phone.png' });
    await nurse.getByRole('link', { name: 'Öppna planen' }).click();
    await nurse.getByRole('heading', { level: 2, name: 'Diagnoser' }).waitFor();
    await env.check(nurse, '63-plan-diagnoses-phone');
  });
});
