/**
 * The contract editor as a busy nurse uses it, in real Chromium: she reaches "Spara ändringarna"
 * in a few Tab stops, changes an activity and saves with the keyboard alone, and the save
 * confirms itself where she is (focus on "Sparat (version N) kl HH:MM", never <body>). The
 * activities come in date order, as on the patient page; ending a contract goes through our own
 * dialog (Escape keeps it), never the browser's confirm box, and the patient page confirms it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ContractContent } from '../../src/domain/contract.ts';
import { demoStaff } from '../../src/seed/units.ts';
import { startBrowserEnv, type BrowserEnv } from './setup.ts';

const ELSA = '193803129182';
const CENTRUM = 'SE2321000000-V101';

interface Focused {
  tag: string;
  text: string;
  label: string;
  id: string;
  className: string;
  inDialog: boolean;
}

// A string, not a function: this file is type-checked without the DOM's types.
const focusedScript = `(() => {
  const e = document.activeElement;
  return {
    tag: e ? e.tagName : '',
    text: e ? (e.textContent || '').replace(/\\s+/g, ' ').trim() : '',
    label: e && e.labels && e.labels[0] ? e.labels[0].textContent.trim() : '',
    id: e ? e.id : '',
    className: e && typeof e.className === 'string' ? e.className : '',
    inDialog: Boolean(e && e.closest('dialog')),
  };
})()`;
const focused = (page: Page) => page.evaluate<Focused>(focusedScript);

/** Presses `key` until the focused element matches; the number of presses. */
async function pressUntil(
  page: Page,
  matches: (f: Focused) => boolean,
  { key = 'Tab', max = 250 }: { key?: string; max?: number } = {},
): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(key);
    if (matches(await focused(page))) return n;
  }
  throw new Error(
    `nothing matching after ${max} presses of ${key}; focus on ${JSON.stringify(await focused(page))}`,
  );
}
const isSave = (f: Focused) => f.tag === 'BUTTON' && f.text === 'Spara ändringarna';

describe('the contract editor, as a busy nurse uses it', () => {
  let env: BrowserEnv;
  let nurse: Page;
  let elsaId: string;
  const measured: Record<string, number> = {};
  const nativeBoxes: string[] = [];

  const contentOf = async (patientId: string): Promise<{ status: string; content: ContractContent }> => {
    const rows = await env.db.query<{ status: string; content: ContractContent }>(
      'select status, content from contract where patient_id = $1 order by created_at desc limit 1',
      [patientId],
    );
    return rows[0]!;
  };
  const openEditor = async (page: Page, patientId: string) => {
    await page.goto(`/patient/${patientId}/redigera`);
    await page.getByRole('heading', { level: 1, name: /Ändra kontraktet för/ }).waitFor();
  };

  before(async () => {
    env = await startBrowserEnv({ patients: 60 });
    elsaId = (await env.db.query<{ id: string }>('select id from patient where identifier = $1', [ELSA]))[0]!
      .id;
    nurse = await env.newPage({ width: 1366, height: 768 });
    // The browser's own confirm box is not ours to use (only the leave-with-unsaved-changes
    // warning is the browser's to give): the ending test asserts that none appeared.
    nurse.on('dialog', (d) => {
      if (d.type() !== 'beforeunload') nativeBoxes.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
  });
  after(async () => {
    console.log('Tab stops measured:', measured);
    await env?.close();
  });

  it('opens, changes an activity and saves with the keyboard alone, and focus lands on the confirmation', async () => {
    await nurse.goto(`/patient/${elsaId}`);
    await nurse.getByRole('heading', { level: 1, name: 'Elsa Lindqvist' }).waitFor();
    await pressUntil(nurse, (f) => f.tag === 'A' && f.text === 'Ändra kontraktet');
    await nurse.keyboard.press('Enter');
    await nurse.getByRole('heading', { level: 1, name: /Ändra kontraktet för Elsa/ }).waitFor();
    await nurse.locator('.loading').first().waitFor({ state: 'detached' });
    assert.equal((await focused(nurse)).tag, 'H1', 'the editor starts at its heading');

    // "Till spara" reaches the save button from the top in a few stops.
    measured.tabsToSkipLink = await pressUntil(nurse, (f) => f.text === 'Till spara');
    await nurse.keyboard.press('Enter');
    assert.ok(isSave(await focused(nurse)), 'Till spara moves focus to Spara ändringarna');
    assert.ok(measured.tabsToSkipLink <= 3);
    const bar = nurse.getByRole('region', { name: 'Spara kontraktet' });
    assert.equal((await bar.locator('.save-state').textContent())?.trim(), 'Allt är sparat');

    // Back to the top through the jump list, to the activities, and change the first one.
    await pressUntil(nurse, (f) => f.tag === 'A' && f.text === 'Kontakter och insatser', {
      key: 'Shift+Tab',
    });
    await nurse.keyboard.press('Enter');
    assert.equal(
      (await focused(nurse)).text,
      'Kontakter och insatser',
      'the jump moved focus to the section',
    );
    await pressUntil(nurse, (f) => f.tag === 'BUTTON' && f.text.startsWith('Ändra Kontakt eller insats 1'));
    await nurse.keyboard.press('Enter');
    assert.equal((await focused(nurse)).label, 'Vad', 'opening an activity lands in its first field');
    await nurse.keyboard.press('ControlOrMeta+A');
    await nurse.keyboard.type('Hembesök, blodtryck och vikt');
    assert.equal((await bar.locator('.save-state').textContent())?.trim(), 'Osparade ändringar');
    await pressUntil(nurse, (f) => f.tag === 'BUTTON' && f.text.startsWith('Klar'));
    await nurse.keyboard.press('Space');
    assert.match(
      (await focused(nurse)).text,
      /^Ändra Kontakt eller insats \d+: Hembesök, blodtryck och vikt/,
    );

    measured.tabsFromActivityToSave = await pressUntil(nurse, isSave);
    await nurse.keyboard.press('Enter');
    await nurse.locator('.save-state:focus').waitFor();
    const confirmation = await focused(nurse);
    assert.match(confirmation.text, /^Sparat \(version \d+\) kl \d{2}[:.]\d{2}$/);
    assert.notEqual(confirmation.tag, 'BODY');
    await nurse
      .getByRole('status')
      .filter({ hasText: /Sparat \(version/ })
      .waitFor();
    await env.check(nurse, 'contract-editor-saved');
    const saved = await contentOf(elsaId);
    assert.ok(saved.content.activities.some((a) => a.what === 'Hembesök, blodtryck och vikt'));
  });

  it('puts focus on the field to fix when a save is refused, with the reason in the save bar', async () => {
    await openEditor(nurse, elsaId);
    await nurse.getByRole('button', { name: /^Ändra Kontakt eller insats 1/ }).click();
    const what = nurse.getByRole('group', { name: /Kontakt eller insats 1/ }).getByLabel('Vad');
    const before = await what.inputValue();
    await what.fill('');
    await nurse.getByRole('button', { name: 'Spara ändringarna' }).click();
    const bar = nurse.getByRole('region', { name: 'Spara kontraktet' });
    await bar.getByRole('alert').waitFor();
    await nurse.locator('[aria-invalid="true"]:focus').waitFor();
    assert.equal((await focused(nurse)).label, 'Vad');
    // The field to fix is not hidden behind the save bar.
    const field = await nurse.locator('[aria-invalid="true"]:focus').boundingBox();
    const barBox = await bar.boundingBox();
    assert.ok(field && barBox && field.y + field.height <= barBox.y, 'the field is above the bar');
    assert.equal((await bar.locator('.save-state').textContent())?.trim(), 'Osparade ändringar');
    await env.check(nurse, 'contract-editor-refused');
    await what.fill(before);
    assert.equal((await bar.locator('.save-state').textContent())?.trim(), 'Allt är sparat');
  });

  it('gives each activity one Tab stop until it is opened, however many there are', async () => {
    await openEditor(nurse, elsaId);
    await nurse.locator('.loading').first().waitFor({ state: 'detached' });
    const { content } = await contentOf(elsaId);
    const stopsInActivities = await nurse.evaluate<number>(
      `document.getElementById('del-kontakter').closest('section')
         .querySelectorAll('a[href], button, input, select, textarea').length`,
    );
    assert.equal(stopsInActivities, content.activities.length + 1, 'one "Ändra" each, and "Lägg till"');
    // Reported, not bounded: goals and linked plans still show every field.
    measured.tabsStraightToSave = await pressUntil(nurse, isSave);
    measured.activities = content.activities.length;
  });

  it('shows the activities in date order, the same order as the patient page, also a new one', async () => {
    await openEditor(nurse, elsaId);
    await nurse.getByRole('button', { name: 'Lägg till kontakt eller insats' }).click();
    const added = nurse.getByRole('group', { name: /Kontakt eller insats \d+/ });
    await added.getByLabel('Vad').fill('Provtagning, tidigast av alla');
    await added.getByLabel('När').fill('2020-01-15');
    await added.getByLabel('Vem utför (enhet)').selectOption({ label: 'Vårdcentralen Söder (Region)' });
    await added.getByRole('button', { name: /^Klar/ }).click();
    assert.equal(
      await nurse.locator('.activity-what').first().textContent(),
      'Provtagning, tidigast av alla',
    );
    await nurse.getByRole('button', { name: 'Spara ändringarna' }).click();
    await nurse.locator('.save-state:focus').waitFor();

    const { content } = await contentOf(elsaId);
    const byDate = [...content.activities].sort((a, b) => a.when.localeCompare(b.when)).map((a) => a.what);
    await openEditor(nurse, elsaId);
    const inEditor = await nurse.locator('.activity-what').allTextContents();
    await nurse.goto(`/patient/${elsaId}`);
    await nurse.getByRole('heading', { level: 1, name: 'Elsa Lindqvist' }).waitFor();
    const onPatientPage = await nurse.locator('.timeline-what').allTextContents();
    assert.deepEqual(inEditor, byDate);
    assert.deepEqual(inEditor, onPatientPage);
  });

  it('keeps the save bar in view at 390 px', async () => {
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.loginAs(phone, demoStaff.distriktsskoterska.id);
    await openEditor(phone, elsaId);
    await phone.locator('.loading').first().waitFor({ state: 'detached' });
    const box = await phone.getByRole('region', { name: 'Spara kontraktet' }).boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the bar at ${JSON.stringify(box)}`);
    await phone.getByRole('button', { name: 'Spara ändringarna' }).waitFor();
    await env.check(phone, 'contract-editor-390');
  });

  it('ends a contract only through its own dialog: Escape keeps it, and the patient page confirms the end', async () => {
    const rows = await env.db.query<{ id: string }>(
      `select p.id from patient p join contract c on c.patient_id = p.id
       where c.status = 'active' and p.listed_unit_id = $1 and p.identifier <> $2
       order by p.identifier limit 1`,
      [CENTRUM, ELSA],
    );
    const patientId = rows[0]!.id;
    await openEditor(nurse, patientId);
    const end = nurse.getByRole('button', { name: 'Avsluta kontraktet' });
    await end.click();
    const dialog = nurse.getByRole('dialog', { name: /Avsluta kontraktet för/ });
    await dialog.waitFor();
    assert.equal((await focused(nurse)).text, 'Avbryt', 'focus starts on the safe choice');
    await env.check(nurse, 'contract-end-dialog');
    for (let i = 0; i < 4; i++) {
      await nurse.keyboard.press('Tab');
      const f = await focused(nurse);
      // Inside the dialog, or out to the browser's own controls (body): never the page behind.
      assert.ok(f.inDialog || f.tag === 'BODY', `focus left the dialog for ${JSON.stringify(f)}`);
    }
    await nurse.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await focused(nurse)).text, 'Avsluta kontraktet', 'focus returns to the button');
    assert.equal((await contentOf(patientId)).status, 'active');

    await end.click();
    await dialog.getByRole('button', { name: 'Ja, avsluta kontraktet' }).click();
    await nurse.getByText('Patientkontraktet är avslutat.').waitFor();
    await nurse.locator('.focused-notice:focus').waitFor();
    assert.equal((await contentOf(patientId)).status, 'ended');
    assert.deepEqual(nativeBoxes, [], 'no window.confirm or alert on the way');
    await env.check(nurse, 'patient-contract-ended');
  });
  it('confirms on the patient page, with focus, a contract saved from the question battery', async () => {
    const rows = await env.db.query<{ id: string }>(
      `select p.id from patient p
       where p.listed_unit_id = $1 and p.identifier_kind = 'personnummer'
         and not exists (select 1 from contract c where c.patient_id = p.id)
       order by p.identifier limit 1`,
      [CENTRUM],
    );
    const patientId = rows[0]!.id;
    await nurse.goto(`/patient/${patientId}/nytt-kontrakt`);
    await nurse.getByRole('button', { name: 'Börja' }).click();
    // "Aktivera kontraktet" goes the same way, with "Patientkontraktet är aktiverat."
    await nurse.getByRole('button', { name: 'Spara som utkast' }).click();
    await nurse.getByText('Patientkontraktet är sparat som utkast.').waitFor();
    await nurse.locator('.focused-notice:focus').waitFor();
    await env.check(nurse, 'patient-contract-draft-saved');
    // Reloading does not confirm it again.
    await nurse.reload();
    await nurse.getByRole('link', { name: 'Ändra kontraktet' }).waitFor();
    assert.equal(await nurse.getByText('Patientkontraktet är sparat som utkast.').count(), 0);
  });
});
