/**
 * The launch step of docs/fhir.md ("Opening the plan from a journal system"), run as written: each
 * `curl` line of its example is run with curl against the app (its host and the journal system's
 * addresses replaced by the test's), and the answer is held to the lines the document shows under
 * it (status, the authorization request's parameters, the launch cookie, the refusal page).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Db } from '../src/store/db.ts';
import { testEngines } from './helpers/engines.ts';
import { startLaunchApp, type LaunchApp, type TestEhr } from './helpers/smart-ehr.ts';

const run = promisify(execFile);
const DOC_APP = 'https://pk.example.se';
const DOC_ISS = 'https://fhir.cosmic.example.se/r4';
const DOC_AUTHORIZE = 'https://as.cosmic.example.se/authorize';

interface Step {
  url: string;
  /** The comment lines under the curl line, continuation lines joined. */
  expected: string[];
}

/** The curl steps of the launch example in docs/fhir.md. */
function launchSteps(): Step[] {
  const doc = readFileSync(new URL('../docs/fhir.md', import.meta.url), 'utf8');
  const start = doc.indexOf('**4. The launch.**');
  assert.ok(start >= 0, 'docs/fhir.md has the launch step');
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(start))?.[1] ?? '';
  const steps: Step[] = [];
  for (const line of block.split('\n')) {
    const curl = /^curl -si '([^']+)'$/.exec(line);
    if (curl) steps.push({ url: curl[1]!, expected: [] });
    else if (line.startsWith('#   '))
      steps.at(-1)!.expected.push(`${steps.at(-1)!.expected.pop()}${line.slice(4)}`);
    else if (line.startsWith('# ')) steps.at(-1)?.expected.push(line.slice(2));
  }
  return steps;
}

for (const engine of testEngines) {
  describe(`the launch step of docs/fhir.md, run with curl, on ${engine.name}`, () => {
    let db: Db;
    let launchApp: LaunchApp;
    let appBase: string;
    let ehr: TestEhr;

    before(async () => {
      db = await engine.open();
      launchApp = await startLaunchApp(db, { id: 'cosmic', name: 'Cosmic', secretRef: 'COSMIC' });
      ({ appBase, ehr } = launchApp);
    });
    after(async () => {
      await launchApp.close();
      await db.close();
    });

    /** The document's addresses as the test's. */
    const local = (text: string): string =>
      text
        .replaceAll(encodeURIComponent(DOC_ISS), encodeURIComponent(ehr.iss))
        .replaceAll(encodeURIComponent(DOC_APP), encodeURIComponent(appBase))
        .replaceAll(DOC_AUTHORIZE, `${ehr.asIssuer}/auth`)
        .replaceAll(DOC_APP, appBase);

    it('answers each curl line as the document shows', async () => {
      const steps = launchSteps();
      assert.equal(steps.length, 2, 'a launch and a refused launch');
      for (const step of steps) {
        const { stdout } = await run('curl', ['-si', local(step.url)]);
        const [head = '', body = ''] = stdout.split('\r\n\r\n');
        const lines = head.split('\r\n');
        const header = (name: string) =>
          lines
            .find((l) => l.toLowerCase().startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim() ?? '';
        for (const expected of step.expected) {
          const status = /^HTTP\/1\.1 (\d{3}) ([A-Za-z ]+?)(?:\s{2,}\(text\/html: "([^"]+)".*\))?$/.exec(
            expected,
          );
          if (status) {
            assert.equal(lines[0], `HTTP/1.1 ${status[1]} ${status[2]}`);
            if (status[3]) {
              assert.match(header('content-type'), /^text\/html/);
              assert.ok(body.includes(status[3]), `the page says "${status[3]}"`);
              assert.equal(header('location'), '');
            }
          } else if (expected.startsWith('location: ')) {
            const want = new URL(local(expected.slice('location: '.length)));
            const got = new URL(header('location'));
            assert.equal(`${got.origin}${got.pathname}`, `${want.origin}${want.pathname}`);
            assert.deepEqual(
              [...got.searchParams.keys()],
              [...want.searchParams.keys()],
              'the parameters, in order',
            );
            for (const [name, value] of want.searchParams) {
              if (value !== '…') assert.equal(got.searchParams.get(name), value, name);
            }
          } else if (expected.startsWith('set-cookie: ')) {
            const want = expected.slice('set-cookie: '.length).split('; ');
            const got = header('set-cookie').split('; ');
            assert.match(got[0]!, /^pk_launch_[0-9a-f]{16}=[A-Za-z0-9_-]{43}$/);
            assert.deepEqual(got.slice(1), want.slice(1));
          } else {
            assert.fail(`a line of the document this test does not know: ${expected}`);
          }
        }
      }
    });
  });
}
