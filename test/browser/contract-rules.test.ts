/**
 * What an active contract must hold, and no silent deletion, in real Chromium: the nurse clicks
 * "Nästa" through the battery without answering and presses "Aktivera kontraktet"; she is told
 * what is missing, at the fields, and nothing is saved until it is there. In the editor, an
 * emptied goal is an error at that goal, and the goal is still there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const CENTRUM = 'SE2321000000-V101';

describe('an active contract holds what it promises, and nothing is lost silently', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let patientId: string;

  before(async () => {
    env = await startBrowserEnv();
    const rows = await env.db.query<{ id: string }>(
      `select p.id from patient p where p.listed_unit_id = $1 and p.identifier_kind = 'personnummer'
         and not exists (select 1 from contract c where c.patient_id = p.id)
         and not exists (select 1 from care_contact cc where cc.patient_id = p.id and cc.role = 'fast-vardkontakt')
       order by p.identifier limit 1`,
      [CENTRUM],
    );
    patientId = rows[0]!.id;
    nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
  });
  after(async () => {
    await env?.close();
  });

  const contracts = async () =>
    (
      await env.db.query<{ n: number }>('select count(*)::int as n from contract where patient_id = $1', [
        patientId,
      ])
    )[0]!.n;

  it('refuses to activate an unanswered battery, naming what is missing at the fields', async () => {
    await nurse.goto(`${env.baseUrl}/patient/${patientId}/nytt-kontrakt`);
    await nurse.getByRole('button', { name: 'Börja' }).click();
    const activate = nurse.getByRole('button', { name: 'Aktivera kontraktet' });
    for (let i = 0; i < 30 && !(await activate.isVisible()); i++)
      await nurse.getByRole('button', { name: 'Nästa', exact: true }).click();
    await nurse.getByRole('heading', { name: 'Nästa överenskomna kontakt' }).waitFor();
    await nurse.getByRole('heading', { name: 'Det här saknas innan kontraktet kan aktiveras' }).waitFor();
    await env.check(nurse, 'rules-01-summary-missing');
    await activate.click();
    const reason = nurse.getByLabel('Om ingen tid bokas nu: varför?');
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.equal(
      await nurse.getByLabel('När ska ni följa upp kontraktet?').getAttribute('aria-invalid'),
      'true',
    );
    await env.check(nurse, 'rules-02-activate-refused');
    assert.equal(await contracts(), 0, 'nothing saved');

    await reason.fill('Patienten ringer själv när hen vill komma.');
    await nurse.getByLabel('Behövs inte nu', { exact: false }).check();
    await nurse.getByLabel('När ska ni följa upp kontraktet?').fill('2027-06-01');
    await activate.click();
    await nurse.waitForURL(new RegExp(`/patient/${patientId}$`));
    const [row] = await env.db.query<{ status: string; content: { reviewDate: string } }>(
      'select status, content from contract where patient_id = $1',
      [patientId],
    );
    assert.equal(row?.status, 'active');
    assert.equal(row?.content.reviewDate, '2027-06-01');
  });

  it('shows an emptied goal as an error at the goal, and keeps it', async () => {
    await env.db.query(
      `update contract set content = jsonb_set(content, '{goals}',
         '[{"id":"g1","text":"Gå till affären","ambition":"forbattra","status":"pagaende"}]')
       where patient_id = $1`,
      [patientId],
    );
    await nurse.goto(`${env.baseUrl}/patient/${patientId}/redigera`);
    const goal = nurse.locator('#field-g1');
    await goal.fill('');
    await nurse.getByRole('button', { name: /Spara/ }).first().click();
    await nurse.locator('[aria-invalid="true"]').first().waitFor();
    assert.equal(await goal.getAttribute('aria-invalid'), 'true');
    await nurse.getByText('Syns för patienten').first().waitFor();
    await env.check(nurse, 'rules-03-emptied-goal');
    const [row] = await env.db.query<{ n: number }>(
      `select jsonb_array_length(content->'goals')::int as n from contract where patient_id = $1`,
      [patientId],
    );
    assert.equal(row?.n, 1, 'the goal is still there');
  });
});
