/**
 * The follow-up page (Uppföljning) in real Chromium: the region's follow-up analyst opens it
 * from the menu, narrows it to a unit and a period (the address follows, so does the figure),
 * reads a chart with the keyboard and downloads CSV; a verksamhetschef sees their own care
 * provider only; a nurse sees no link and is refused both the page and the API.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { demoStaff } from '../../src/seed/units.ts';
import { artifactsDir, startBrowserEnv, type BrowserEnv } from './setup.ts';

const CENTRUM = 'SE2321000000-V101';
const PRIVATE_VC = 'SE5560000000-V201';
const LAST_YEAR = new Date().getFullYear() - 1;

/** The big number of a key figure, by the start of its label. */
const keyFigure = (page: Page, label: string): Promise<string> =>
  page.locator('.key-figure', { hasText: label }).locator('.key-value').innerText();

/** The month labels under each line chart whose boxes overlap a neighbour's, as "chart: a / b". */
async function collidingAxisLabels(page: Page): Promise<string[]> {
  const collisions: string[] = [];
  const charts = page.locator('figure.chart svg');
  for (let c = 0; c < (await charts.count()); c++) {
    const labels = charts.nth(c).locator('text.axis-x');
    const boxes: { x: number; right: number; text: string }[] = [];
    for (const label of await labels.all()) {
      const box = await label.boundingBox();
      if (box) boxes.push({ x: box.x, right: box.x + box.width, text: (await label.textContent()) ?? '' });
    }
    boxes.sort((a, b) => a.x - b.x);
    for (let i = 1; i < boxes.length; i++)
      if (boxes[i]!.x < boxes[i - 1]!.right + 2)
        collisions.push(`${c}: ${boxes[i - 1]!.text} / ${boxes[i]!.text}`);
  }
  return collisions;
}

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysOverflow = async (page: Page): Promise<number> =>
  Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));

describe('the follow-up page', () => {
  let env: BrowserEnv;
  let analyst: Page;

  before(async () => {
    // Enough patients that most units' figures are above the small-cell limit.
    env = await startBrowserEnv({ patients: 1500 });
    analyst = await env.newPage({ width: 1280, height: 900 });
  });
  after(async () => {
    await env?.close();
  });

  it('is where the region’s follow-up analyst lands, with no patient list or search in the menu', async () => {
    await env.loginAs(analyst, demoStaff.uppfoljare.id);
    await analyst.getByRole('heading', { level: 1, name: 'Uppföljning' }).waitFor();
    assert.match(analyst.url(), /\/uppfoljning$/);
    const nav = analyst.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Uppföljning' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Mina patienter' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Sök patient' }).count(), 0);
    await analyst.goto('/');
    await analyst.waitForURL(/\/uppfoljning$/);
  });

  it('opens from the menu for the region’s follow-up analyst, with the whole region', async () => {
    await analyst
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Uppföljning' })
      .click();
    await analyst.getByRole('heading', { level: 1, name: 'Uppföljning' }).waitFor();
    await analyst.getByText(/^Visar hela regionen/).waitFor();
    for (const heading of [
      'Patientkontrakt',
      'Fast läkarkontakt',
      'Särskilt boende och hemsjukvård',
      'Kontinuitet i läkarbesök',
      'Förstärkt vårdgaranti',
      'Frågorna',
    ]) {
      await analyst.getByRole('heading', { level: 2, name: heading }).waitFor();
    }
    // Every chart has a visible caption and a table behind "Visa som tabell".
    const figures = await analyst.locator('figure.chart').count();
    assert.ok(figures >= 9, `${figures} charts`);
    assert.equal(await analyst.locator('figure.chart figcaption h3').count(), figures);
    assert.equal(await analyst.locator('figure.chart details table').count(), figures);
    assert.match(await keyFigure(analyst, 'Aktiva patientkontrakt'), /^\d[\d\s]*$/);
    await analyst.getByText('Kontinuitet i läkarbesök (COC-index, 0–1)').waitFor();
    await analyst
      .getByText(/^(Förändring mot baslinjen:\s.*\s\(mål:\s\+20\s%\)|Ingen baslinje att jämföra med)$/)
      .first()
      .waitFor();
    assert.equal(await analyst.getByText(/\bCOC\b(?!-index)/).count(), 0, 'COC is always named as an index');
    const wide = await env.newPage({ width: 1366, height: 768 });
    await env.loginAs(wide, demoStaff.uppfoljare.id);
    await wide.getByText(/^Visar hela regionen/).waitFor();
    assert.deepEqual(await collidingAxisLabels(wide), [], 'no month labels overlap at 1366 px');
    await wide.close();
    await env.check(analyst, 'followup-01-region');
  });

  it('narrows to a unit and a year: the address and the figures follow', async () => {
    const regionContracts = await keyFigure(analyst, 'Aktiva patientkontrakt');
    const regionGp = await keyFigure(analyst, 'Listade med fast läkarkontakt');
    await analyst.getByLabel('Enhet eller vårdgivare').selectOption(`enhet:${CENTRUM}`);
    await analyst.getByLabel('Period', { exact: true }).selectOption({ label: `År ${LAST_YEAR}` });
    await analyst.getByRole('button', { name: 'Visa' }).click();
    await analyst.waitForURL(/\/uppfoljning\?/);
    const url = new URL(analyst.url());
    assert.equal(url.searchParams.get('enhet'), CENTRUM);
    assert.equal(url.searchParams.get('ar'), String(LAST_YEAR));
    await analyst
      .getByText(`Visar Vårdcentralen Centrum, 1 januari ${LAST_YEAR} – 31 december ${LAST_YEAR}.`)
      .waitFor();
    const unitContracts = await keyFigure(analyst, 'Aktiva patientkontrakt');
    const unitGp = await keyFigure(analyst, 'Listade med fast läkarkontakt');
    assert.ok(
      unitContracts !== regionContracts || unitGp !== regionGp,
      `the unit's figures differ from the region's (${unitContracts}/${unitGp})`,
    );
    // The bookmarked address opens the same view.
    await analyst.reload();
    await analyst.getByText(/^Visar Vårdcentralen Centrum/).waitFor();
    assert.equal(await analyst.getByLabel('Enhet eller vårdgivare').inputValue(), `enhet:${CENTRUM}`);
    await env.check(analyst, 'followup-02-unit-year');
  });

  it('takes a range of months, and refuses one that ends before it starts', async () => {
    await analyst.getByLabel('Period', { exact: true }).selectOption({ label: 'Välj månader …' });
    await analyst.getByLabel('Från').fill(`${LAST_YEAR}-06`);
    await analyst.getByLabel('Till').fill(`${LAST_YEAR}-03`);
    await analyst.getByRole('button', { name: 'Visa' }).click();
    await analyst.getByText('Den första månaden ligger efter den sista.').waitFor();
    await analyst.getByLabel('Till').fill(`${LAST_YEAR}-09`);
    await analyst.getByRole('button', { name: 'Visa' }).click();
    await analyst.waitForURL(new RegExp(`fran=${LAST_YEAR}-06&till=${LAST_YEAR}-09`));
    await analyst
      .getByText(`Visar Vårdcentralen Centrum, 1 juni ${LAST_YEAR} – 30 september ${LAST_YEAR}.`)
      .waitFor();
    await env.check(analyst, 'followup-03-months');
  });

  it('reads a trend chart month by month with the arrow keys', async () => {
    const plot = analyst.getByRole('group', { name: /^Andel per månad, Vårdcentralen Centrum/ });
    const readout = analyst.locator('figure', { has: plot }).locator('.chart-readout');
    await plot.focus();
    assert.match(await readout.innerText(), new RegExp(`^september ${LAST_YEAR}:`));
    await analyst.keyboard.press('ArrowLeft');
    assert.match(
      await readout.innerText(),
      new RegExp(`^augusti ${LAST_YEAR}: Med fast läkarkontakt \\d+\\s%$`),
    );
    await analyst.keyboard.press('Home');
    assert.match(await readout.innerText(), new RegExp(`^juni ${LAST_YEAR}:`));
  });

  it('downloads a section as CSV, and links the printable yearly report', async () => {
    const [download] = await Promise.all([
      analyst.waitForEvent('download'),
      analyst.getByRole('link', { name: /^Ladda ner \(CSV\)\s*: Patientkontrakt$/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^uppfoljning-kontrakt-.*\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv, /^\uFEFFtabell,niva,id,namn,detalj,matt,varde\r\n/);
    assert.match(csv, /kontrakt-trend,/);

    const report = analyst.getByRole('link', { name: `Årsrapport ${LAST_YEAR} för utskrift` });
    const href = (await report.getAttribute('href')) ?? '';
    assert.match(
      href,
      new RegExp(`from=${LAST_YEAR}-01-01&to=${LAST_YEAR}-12-31&unitId=${CENTRUM}&format=html`),
    );
    const answer = await analyst.request.get(href);
    assert.equal(answer.status(), 200);
    assert.match(answer.headers()['content-type'] ?? '', /^text\/html/);
    assert.match(await answer.text(), /Uppföljning/);
  });

  it('shows patient experience and team function, small numbers hidden, and physician posts per delregion', async () => {
    await analyst.goto('/uppfoljning');
    const section = analyst.locator('section', {
      has: analyst.getByRole('heading', { level: 2, name: 'Mobila team' }),
    });
    await section.getByRole('heading', { level: 3, name: 'Ifyllda enkäter' }).waitFor();
    await section
      .getByText(/Färre än 5 svar visas inte/)
      .first()
      .waitFor();
    // The demo's patient survey: the närsjukvårdsteam has 4 forms, so neither team's patient
    // figures show (the municipality less one team would give the other away); the region's do.
    const patientSurvey = section.locator('figure.chart', {
      has: analyst.getByRole('heading', { name: /Andel positiva svar: Exempel: upplevelse/ }),
    });
    await patientSurvey.waitFor();
    const shown = await patientSurvey.locator('.bar-chart').innerText();
    assert.ok((shown.match(/färre än 5 svar visas inte/g) ?? []).length >= 8, shown);
    assert.ok((shown.match(/\d+ svar, median \d/g) ?? []).length >= 4, shown);
    // Physician posts: the region, its delregion and the municipality.
    const posts = section.locator('figure.chart', {
      has: analyst.getByRole('heading', { name: 'Läkartjänster som behövs' }),
    });
    await posts
      .getByText(/Delregion: Södra delregionen/)
      .first()
      .waitFor();
    // What the page says equals the API's figures.
    const res = await analyst.request.get('/api/followup/mobila-team');
    assert.equal(res.status(), 200);
    const body = (await res.json()) as { tables: { id: string; rows: Record<string, unknown>[] }[] };
    const responses = body.tables.find((x) => x.id === 'mobila-team-enkatsvar')!;
    const region = responses.rows.find((r) => r.niva === 'region' && r.slag === 'Patientupplevelse')!;
    await section.getByText(`Regionen: Patientupplevelse`).first().waitFor();
    assert.ok(typeof region.enkater === 'number' && region.enkater >= 5);
    await section.screenshot({
      path: join(artifactsDir, 'screenshots', 'followup-07-mobila-team-enkater.png'),
    });
    await env.check(analyst, 'followup-07-mobila-team');
  });

  it('fits a phone, with the charts readable', async () => {
    const phone = await env.newPage({ width: 390, height: 844 });
    await env.loginAs(phone, demoStaff.uppfoljare.id);
    await phone.goto('/uppfoljning');
    await phone.getByText(/^Visar hela regionen/).waitFor();
    assert.equal(await sidewaysOverflow(phone), 0, 'no sideways scrolling');
    assert.deepEqual(await collidingAxisLabels(phone), [], 'no month labels overlap at 390 px');
    await env.check(phone, 'followup-04-phone');
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Follow-up' }).waitFor();
    await phone.getByText(/^Showing the whole region/).waitFor();
    await env.check(phone, 'followup-06-phone-english');
  });

  it('shows a verksamhetschef their own care provider, and refuses another’s unit', async () => {
    const chiefId = (
      await env.db.query<{ id: string }>(
        `select staff_id as id from staff_unit where unit_id = $1 and role = 'verksamhetschef'`,
        [PRIVATE_VC],
      )
    )[0]!.id;
    const chief = await env.newPage();
    await env.loginAs(chief, chiefId);
    await chief.getByRole('link', { name: 'Uppföljning' }).click();
    await chief.getByText(/^Visar Vårdkraft Exempel AB/).waitFor();
    const options = await chief.getByLabel('Enhet eller vårdgivare').locator('option').allInnerTexts();
    assert.ok(!options.includes('Hela regionen'), 'no region option');
    assert.ok(!options.includes('Vårdcentralen Centrum'), 'no other provider’s units');
    assert.ok(options.includes('Vårdkraft vårdcentral Exempelstad'));
    await env.check(chief, 'followup-05-verksamhetschef');
    const other = await chief.request.get(`/api/followup/report?unitId=${CENTRUM}`);
    assert.equal(other.status(), 403);
  });

  it('shows a nurse no link, and refuses her the page and the API', async () => {
    const nurse = await env.newPage();
    await env.loginAs(nurse, demoStaff.distriktsskoterska.id);
    const nav = nurse.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Sök patient' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Uppföljning' }).count(), 0);
    await nurse.goto('/uppfoljning');
    await nurse.getByRole('heading', { level: 1, name: 'Sidan finns inte' }).waitFor();
    const answer = await nurse.request.get('/api/followup/report');
    assert.equal(answer.status(), 403);
    const csv = await nurse.request.get('/api/followup/kontrakt?format=csv');
    assert.equal(csv.status(), 403);
  });
});
