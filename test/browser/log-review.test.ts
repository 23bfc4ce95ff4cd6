/**
 * Log review of the launches from journal systems, in real Chromium: Anders Lund (loggansvarig)
 * finds Loggkontroll in the menu, sees his care provider's SMART launches, opened and refused,
 * and narrows them to the refused ones; on a desktop and a 390 px phone, axe on each screen,
 * screenshots.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { HOSPITAL_ID, demoStaff } from '../../src/seed/units.ts';
import { createEhrLaunchStore } from '../../src/store/ehr-launch-store.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const PHONE = { width: 390, height: 844 };

describe('a log reviewer looks at the launches from journal systems', () => {
  let env: BrowserEnv;
  let reviewer: Page;

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
    const db = env.db;
    await db.query(
      `insert into ehr_system (id, name, iss, client_id, created_by)
       values ('cosmic-test', 'Cosmic', 'https://cosmic.example.org/fhir', 'patientkontrakt', 'test')`,
    );
    // A member of staff at a unit of the reviewer's care provider, and a patient.
    const [staff] = await db.query<{ staffId: string; unitId: string }>(
      `select su.staff_id as "staffId", su.unit_id as "unitId" from staff_unit su
       join care_unit u on u.id = su.unit_id
       where su.role = 'medarbetare'
         and u.provider_id = (select provider_id from care_unit where id = $1)
       order by su.staff_id limit 1`,
      [HOSPITAL_ID],
    );
    const [patient] = await db.query<{ id: string }>('select id from patient order by identifier limit 1');
    const log = createEhrLaunchStore(db);
    const base = {
      ehrSystemId: 'cosmic-test',
      iss: 'https://cosmic.example.org/fhir',
      staffId: staff!.staffId,
      unitId: staff!.unitId,
      detail: null,
    };
    await log.logEvent({ ...base, outcome: 'opened', patientId: patient!.id, requestId: 'browser-1' });
    await log.logEvent({
      ...base,
      outcome: 'choose-unit',
      unitId: null,
      patientId: null,
      requestId: 'browser-2',
    });
    await log.logEvent({
      ...base,
      outcome: 'no-patient',
      patientId: patient!.id,
      requestId: 'browser-3',
      detail: 'access refused',
    });
    reviewer = await env.newPage();
    await env.loginAs(reviewer, demoStaff.loggansvarig.id);
  });
  after(async () => {
    await env?.close();
  });

  it('finds Loggkontroll in the menu and sees the launches, opened and refused, newest first', async () => {
    await reviewer.getByRole('link', { name: 'Loggkontroll' }).click();
    await reviewer.getByRole('heading', { level: 1, name: 'Loggkontroll' }).waitFor();
    await reviewer.getByRole('heading', { level: 2, name: 'Starter från journalsystem' }).waitFor();
    await reviewer.getByText('3 starter.').waitFor();
    const rows = reviewer.getByRole('table').locator('tbody tr');
    assert.equal(await rows.count(), 3);
    await rows
      .nth(0)
      .getByText(/^Nekad: /)
      .waitFor();
    await rows.nth(1).getByText('Väntade på val av enhet').first().waitFor();
    await rows.nth(2).getByText('Öppnad').waitFor();
    await env.check(reviewer, 'l01-launch-log-desktop');
  });

  it('narrows the list to the refused launches of one journal system', async () => {
    await reviewer.getByLabel('Journalsystem', { exact: true }).selectOption('cosmic-test');
    await reviewer.getByLabel('Utfall', { exact: true }).selectOption('refused');
    await reviewer.getByRole('button', { name: 'Visa' }).click();
    await reviewer.getByText('1 start.').waitFor();
    const rows = reviewer.getByRole('table').locator('tbody tr');
    assert.equal(await rows.count(), 1);
    await rows
      .first()
      .getByText(/^Nekad: /)
      .waitFor();
    await env.check(reviewer, 'l02-launch-log-refused-desktop');
  });

  it('reads on a phone', async () => {
    const phone = await env.newPage(PHONE);
    await env.loginAs(phone, demoStaff.loggansvarig.id);
    await phone.goto('/loggkontroll');
    await phone.getByText('3 starter.').waitFor();
    await env.check(phone, 'l03-launch-log-phone');
  });

  it('is not found for staff without the role loggansvarig, and not in their menu', async () => {
    const nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    assert.equal(await nurse.getByRole('link', { name: 'Loggkontroll' }).count(), 0);
    await nurse.goto('/loggkontroll');
    await nurse.getByRole('heading', { level: 1, name: /hittades inte|finns inte/i }).waitFor();
  });
});
