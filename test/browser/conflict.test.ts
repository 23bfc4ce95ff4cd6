/**
 * Two people edit the same contract. The second to save is told that someone else saved
 * first, sees what each of them changed, and merges: nothing is silently overwritten.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ContractContent } from '../../src/domain/contract.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const ELSA = '193803129182';

describe('two users edit the same contract', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let physician: Page;
  let patientId: string;

  const current = async (): Promise<ContractContent> => {
    const rows = await env.db.query<{ content: ContractContent }>(
      `select content from contract where patient_id = $1 and status <> 'ended'`,
      [patientId],
    );
    return rows[0]!.content;
  };
  const openEditor = async (page: Page) => {
    await page.goto(`/patient/${patientId}/redigera`);
    await page.getByRole('heading', { level: 1, name: /Ändra kontraktet för Elsa Lindqvist/ }).waitFor();
  };

  before(async () => {
    env = await startBrowserEnv({ patients: 50 });
    const rows = await env.db.query<{ id: string }>('select id from patient where identifier = $1', [ELSA]);
    patientId = rows[0]!.id;
    nurse = await env.newPage();
    physician = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    await env.loginAs(physician, demoStaff.allmanlakare.id);
  });
  after(async () => {
    await env?.close();
  });

  it('keeps both changes when they touch different parts', async () => {
    await openEditor(nurse);
    await openEditor(physician);

    await nurse
      .getByLabel('Vad är viktigt för patienten?')
      .fill('Att kunna vara hemma och träffa barnbarnen.');
    await nurse.getByRole('button', { name: 'Spara ändringarna' }).click();
    await nurse
      .getByText(/Sparat \(version \d+\) kl/)
      .first()
      .waitFor();

    const goal = physician.getByRole('group', { name: 'Mål 1' }).getByLabel('Mål', { exact: true });
    await goal.fill('Kunna gå i trapporna hemma utan att stanna');
    await physician.getByRole('button', { name: 'Spara ändringarna' }).click();

    await physician.getByRole('heading', { name: 'Någon annan har sparat först' }).waitFor();
    await physician.getByRole('heading', { name: 'Det här ändrade Karin Lindberg' }).waitFor();
    await physician.getByText('Att kunna vara hemma och träffa barnbarnen.').first().waitFor();
    await physician.getByText('Ändringarna krockar inte').waitFor();
    await env.check(physician, '12-conflict');
    await physician.getByRole('button', { name: 'Slå ihop och spara' }).click();
    await physician.getByText('Ändringarna är ihopslagna och sparade.').first().waitFor();

    const content = await current();
    assert.equal(content.whatMatters, 'Att kunna vara hemma och träffa barnbarnen.');
    assert.equal(content.goals[0]?.text, 'Kunna gå i trapporna hemma utan att stanna');
  });

  it('asks whose change wins when both changed the same thing', async () => {
    await openEditor(nurse);
    await openEditor(physician);
    const ifWorse = 'Vad gör patienten om hen blir sämre?';
    await nurse.getByLabel(ifWorse).fill('Ring distriktssköterskan på vårdcentralen.');
    await nurse.getByRole('button', { name: 'Spara ändringarna' }).click();
    await nurse
      .getByText(/Sparat \(version \d+\) kl/)
      .first()
      .waitFor();

    await physician.getByLabel(ifWorse).fill('Ring 1177 eller vårdcentralen.');
    await physician
      .getByLabel('Vad är viktigt för patienten?')
      .fill('Att kunna vara hemma, träffa barnbarnen och gå ut.');
    await physician.getByRole('button', { name: 'Spara ändringarna' }).click();
    await physician.getByText('Ni har båda ändrat samma sak').waitFor();
    await physician.getByLabel(/^Behåll Karin Lindbergs ändring/).check();
    await env.check(physician, '12-conflict-choice');
    await physician.getByRole('button', { name: 'Slå ihop och spara' }).click();
    await physician.getByText('Ändringarna är ihopslagna och sparade.').first().waitFor();

    const content = await current();
    assert.equal(content.ifWorse, 'Ring distriktssköterskan på vårdcentralen.');
    assert.equal(content.whatMatters, 'Att kunna vara hemma, träffa barnbarnen och gå ut.');
  });

  it('shows every version with who, when and a readable diff', async () => {
    await nurse.goto(`/patient/${patientId}/historik`);
    await nurse.getByRole('heading', { level: 1, name: /Historik för Elsa Lindqvist/ }).waitFor();
    await nurse
      .getByText(/Johan Ek, /)
      .first()
      .waitFor();
    // The newest version's changes are open: before and after, in words.
    await nurse.getByText('Att kunna vara hemma, träffa barnbarnen och gå ut.').first().waitFor();
    await nurse.getByText('Vad är viktigt: ändrat').first().waitFor();
    await env.check(nurse, '13-history');
  });

  it('prints the contract for the patient in plain Swedish', async () => {
    await nurse.goto(`/patient/${patientId}/utskrift`);
    await nurse.getByRole('heading', { level: 1, name: 'Ditt patientkontrakt' }).waitFor();
    await nurse.getByRole('heading', { name: 'Det här är viktigt för dig' }).waitFor();
    await env.check(nurse, '14-print');
    await nurse.emulateMedia({ media: 'print' });
    await nurse.screenshot({ path: 'test-artifacts/screenshots/14-print-media.png', fullPage: true });
    const pdf = await nurse.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000);
    await nurse.emulateMedia({ media: 'screen' });
  });
});
