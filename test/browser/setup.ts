/**
 * Browser tests in real Chromium (Debian's, driven by playwright-core; nothing downloads a
 * browser). Each test file:
 *
 *   const env = await startBrowserEnv();   // build (once), server on a fresh demo region, Chromium
 *   const page = await env.newPage();
 *   await env.loginAs(page, demoStaff.distriktsskoterska.id);
 *   await env.check(page, 'worklist');    // axe: 0 serious/critical, and a screenshot
 *   await env.close();
 *
 * The Vite build runs at most once across parallel test files (a lock directory) and only
 * when web/dist is missing or older than a source file. Screenshots and measurements go to
 * test-artifacts/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { DEVELOPMENT_AUDIT_KEY } from '../../src/services/audit-key.ts';
import { demoUsers, seedDemo } from '../../src/seed/generate.ts';
import { migrate, openDb, type Db } from '../../src/store/db.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const webDir = join(root, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
const lockDir = join(root, 'web', '.build-lock');
export const artifactsDir = join(root, 'test-artifacts');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function isBuildFresh(): boolean {
  try {
    return statSync(distIndex).mtimeMs >= newestMtime(webDir);
  } catch {
    return false;
  }
}

/** Builds web/dist unless it is fresh; parallel callers wait for the one that builds. */
export async function ensureBuilt(): Promise<void> {
  for (let waited = 0; !isBuildFresh(); waited += 250) {
    try {
      mkdirSync(lockDir);
    } catch {
      // Someone else is building; a lock older than five minutes is left over from a crash.
      if (Date.now() - statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs > 300_000)
        rmSync(lockDir, { recursive: true, force: true });
      if (waited > 300_000) throw new Error('timed out waiting for the web build');
      await sleep(250);
      continue;
    }
    try {
      if (isBuildFresh()) return;
      const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
      const result = spawnSync(
        process.execPath,
        [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

export interface BrowserEnv {
  baseUrl: string;
  db: Db;
  browser: Browser;
  /** A new browser context (own cookies) at 1280×800, unless told otherwise. */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  /** Logs in through the login screen as a demo member of staff and waits for their start page. */
  loginAs(page: Page, hsaId: string): Promise<void>;
  /** axe-core on the page: fails on serious or critical violations; then a full-page screenshot. */
  check(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string, not a function: this file is type-checked without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Starts the server on a fresh demo region and launches Chromium. */
export async function startBrowserEnv(
  options: {
    patients?: number;
    /** Settings beside the defaults (the SMART launch test's journal system). */
    env?: NodeJS.ProcessEnv;
    /** A port chosen beforehand, for settings that name the server's own address. */
    port?: number;
    /**
     * Serve a copy of web/dist taken now (removed on close): a long walk keeps its assets when
     * another test file rebuilds web/dist for a changed source meanwhile.
     */
    ownWebCopy?: boolean;
  } = {},
): Promise<BrowserEnv> {
  await ensureBuilt();
  const webCopy = options.ownWebCopy ? mkdtempSync(join(tmpdir(), 'pk-web-')) : undefined;
  if (webCopy) cpSync(join(webDir, 'dist'), webCopy, { recursive: true });
  const db = await openDb({});
  await migrate(db);
  await seedDemo(db, { patients: options.patients ?? 400, today: new Date() });
  const config = readConfig({ NODE_ENV: 'test', RATE_LIMIT: 'off', ...options.env });
  const { app } = await buildApp({
    db,
    config,
    auditKey: DEVELOPMENT_AUDIT_KEY,
    ...(webCopy ? { webRoot: webCopy } : {}),
    demoUsers: {
      staffIds: demoUsers.staff.map((s) => s.hsaId),
      patientIdentifiers: demoUsers.patients.map((p) => p.personnummer),
    },
  });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  const contexts: BrowserContext[] = [];
  const cspViolations = new Map<Page, string[]>();
  mkdirSync(join(artifactsDir, 'screenshots'), { recursive: true });

  return {
    baseUrl,
    db,
    browser,
    async newPage({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({
        viewport: { width, height },
        baseURL: baseUrl,
        // Real users: Swedish staff and patients on Swedish devices.
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      // The app must run under the server's CSP: any violation fails the next check.
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
          cspViolations.set(page, [...(cspViolations.get(page) ?? []), message.text()]);
        }
      });
      return page;
    },
    async loginAs(page, hsaId) {
      const user = demoUsers.staff.find((s) => s.hsaId === hsaId);
      if (!user) throw new Error(`no demo user ${hsaId}`);
      await page.goto('/logga-in');
      await page.getByRole('button', { name: `Logga in som ${user.name}` }).click();
      // Staff without patient access land on Uppföljning, Administration or a short start page instead.
      await page
        .getByRole('heading', { level: 1, name: /^(Mina patienter|Uppföljning|Administration|Start)$/ })
        .waitFor();
    },
    async check(page, name) {
      // Let late fetches settle before the scan and the picture (the live-update stream never
      // goes idle, so "networkidle" would not do).
      // A locator, not waitForFunction: a string predicate is evaluated with eval, which the
      // app's CSP refuses whenever the first try fails and it has to poll.
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      await page.waitForTimeout(100);
      const violations = await seriousViolations(page);
      await page.screenshot({ path: join(artifactsDir, 'screenshots', `${name}.png`), fullPage: true });
      const csp = cspViolations.get(page) ?? [];
      if (csp.length > 0) throw new Error(`CSP violations on "${name}":\n${csp.join('\n')}`);
      if (violations.length > 0) {
        const text = violations
          .map(
            (v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
          )
          .join('\n');
        throw new Error(`axe found serious or critical violations on "${name}":\n${text}`);
      }
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.close();
      await db.close();
      if (webCopy) rmSync(webCopy, { recursive: true, force: true });
    },
  };
}

/** Writes a measurement to test-artifacts/<name>.json. */
export function writeArtifact(name: string, value: unknown): void {
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, name), JSON.stringify(value, null, 2));
}
