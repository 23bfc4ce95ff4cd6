/**
 * The token, read and subscribe steps of docs/fhir.md, run as written: the `curl` lines of
 * "Getting a token and calling (curl)" and of "Subscribing to plan changes" are read from the
 * document and run with real curl (in bash, their shell variables given by the test) against
 * the app on a local port, a real authorization server (`oidc-provider`: client_credentials with
 * a `private_key_jwt` client assertion, a JWT access token for our audience) and an https
 * receiver with a self-signed certificate (trusted by the app through SUBSCRIPTION_CA). The
 * document's host names become the test's addresses; each answer is held to what the document
 * says under it, and the handshake, the notification after a plan change and the heartbeat the
 * receiver gets to the document's examples.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Db } from '../src/store/db.ts';
import { createSmartClientStore } from '../src/store/smart-client-store.ts';
import { buildTestApp, withActiveContract } from './helpers/api.ts';
import { testEngines } from './helpers/engines.ts';
import { sampleContent } from './helpers/factories.ts';
import { assertValidFhir } from './helpers/fhir-validator.ts';
import { startNotificationReceiver } from './helpers/notification-receiver.ts';
import { startBackendAuthorizationServer } from './helpers/smart-backend-as.ts';

const run = promisify(execFile);
const DOC_APP = 'https://pk.region.se';
const DOC_ENDPOINT = 'https://journal-x.se/hooks/pk';
const CLIENT_ID = 'journal-x';
const DOC = readFileSync(new URL('../docs/fhir.md', import.meta.url), 'utf8');

interface Step {
  /** The command as the document writes it (continuation lines kept). */
  command: string;
  /** The comment lines under it. */
  expected: string[];
}

/** The first fenced block of `lang` after `heading` (and after `after`, when given). */
function block(heading: string, lang: string, after = ''): string {
  const start = DOC.indexOf(heading);
  assert.ok(start >= 0, `docs/fhir.md has "${heading}"`);
  const from = after ? DOC.indexOf(after, start) : start;
  assert.ok(from >= 0, `docs/fhir.md has "${after}" after "${heading}"`);
  const found = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(DOC.slice(from))?.[1];
  assert.ok(found, `a ${lang} block under "${heading}"`);
  return found;
}

/** The curl commands of a sh block, each with the comment lines under it. */
function curlSteps(sh: string): Step[] {
  const steps: Step[] = [];
  let inCommand = false;
  for (const line of sh.split('\n')) {
    if (line.startsWith('curl ')) {
      steps.push({ command: line, expected: [] });
      inCommand = true;
    } else if (line.startsWith('#')) {
      inCommand = false;
      steps.at(-1)?.expected.push(line.replace(/^#\s*(→\s*)?/, ''));
    } else if (inCommand) steps.at(-1)!.command += `\n${line}`;
  }
  return steps;
}

const listen = async (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/**
 * Holds `got` to the document's example `want`: the same keys and array lengths; strings equal,
 * where `<id>` stands for any id, `…` for any rest, a digit string for any number and an instant
 * for any instant.
 */
function assertLikeExample(got: unknown, want: unknown, path = '$'): void {
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path} is an array`);
    assert.equal(got.length, want.length, `${path}: as many items as the example`);
    want.forEach((item, i) => assertLikeExample(got[i], item, `${path}[${i}]`));
  } else if (want !== null && typeof want === 'object') {
    assert.ok(got !== null && typeof got === 'object' && !Array.isArray(got), `${path} is an object`);
    const wantObject = want as Record<string, unknown>;
    const gotObject = got as Record<string, unknown>;
    assert.deepEqual(Object.keys(gotObject).sort(), Object.keys(wantObject).sort(), `${path}: keys`);
    for (const key of Object.keys(wantObject))
      assertLikeExample(gotObject[key], wantObject[key], `${path}.${key}`);
  } else if (typeof want === 'string') {
    assert.equal(typeof got, 'string', `${path} is a string`);
    const pattern = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(want)
      ? '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+(Z|[+-]\\d\\d:\\d\\d)'
      : /^\d+$/.test(want)
        ? '\\d+'
        : want
            .split(/(<id>|…)/)
            .map((part) =>
              part === '<id>'
                ? '[A-Za-z0-9.-]+'
                : part === '…'
                  ? '.*'
                  : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('');
    assert.match(got as string, new RegExp(`^${pattern}$`), path);
  } else assert.equal(got, want, path);
}

for (const engine of testEngines) {
  describe(`the token, read and subscribe steps of docs/fhir.md, run with curl, on ${engine.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let server: Server;
    let appBase: string;
    let as: Awaited<ReturnType<typeof startBackendAuthorizationServer>>;
    let receiver: Awaited<ReturnType<typeof startNotificationReceiver<unknown>>>;
    let clientKey: CryptoKey;
    let dir: string;
    // The app's clock, moved on to reach a heartbeat.
    let offsetMs = 0;
    const clock = () => new Date(Date.now() + offsetMs);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pk-docs-curl-'));
      server = createServer();
      appBase = `http://127.0.0.1:${await listen(server)}`;
      const pair = await generateKeyPair('RS384', { extractable: true });
      clientKey = pair.privateKey;
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'client-1', alg: 'RS384', use: 'sig' };
      as = await startBackendAuthorizationServer({
        clientId: CLIENT_ID,
        clientPublicJwk: publicJwk,
        audience: `${appBase}/fhir`,
        resourceScopes: 'system/*.rs system/CarePlan.rs system/Patient.rs system/Subscription.cruds',
      });
      receiver = await startNotificationReceiver<unknown>(dir);
      db = await engine.open();
      app = await buildTestApp(db, clock, {
        ...as.env,
        SUBSCRIPTION_CA: receiver.caFile,
        SUBSCRIPTION_CHECK_MS: '100',
        SUBSCRIPTION_TIMEOUT_MS: '2000',
      });
      server.on('request', (req, res) => app.routing(req, res));
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
      await db.close();
      await receiver.close();
      await as.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs a document command in bash (in `dir`, with `env`): status, headers and body of its curl. */
    async function sh(command: string, env: Record<string, string>) {
      const headersFile = join(dir, 'headers.txt');
      const script = `curl() { command curl -sS -D "$PK_HEADERS" -w '\\n%{http_code}' "$@"; }\n${command}`;
      const { stdout } = await run('bash', ['-c', script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...env, PK_HEADERS: headersFile },
      });
      const cut = stdout.lastIndexOf('\n');
      const headers = readFileSync(headersFile, 'utf8').split('\r\n');
      return {
        status: Number(stdout.slice(cut + 1)),
        body: stdout.slice(0, cut),
        header: (name: string) =>
          headers
            .find((l) => l.toLowerCase().startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim() ?? '',
      };
    }

    it('gets a token, reads, subscribes, is notified of a plan change and unsubscribes as the document shows', async (t) => {
      const { w, nurse, contractId } = await withActiveContract(app, db);
      // The document's patient: the test personnummer of its search.
      await db.query(
        `update patient set identifier = '191212121212', identifier_kind = 'personnummer' where id = $1`,
        [w.patientId],
      );
      const endpoint = `${receiver.base}/hooks/pk`;
      assert.ok(
        await createSmartClientStore(db).register(
          {
            clientId: CLIENT_ID,
            name: 'Journalsystem X',
            providerId: w.providerId,
            scopes: ['system/*.rs', 'system/Subscription.cruds'],
            corsOrigins: [],
            subscriptionEndpoints: [endpoint],
          },
          { hsaId: 'test' },
        ),
      );
      const local = (text: string, ids: Record<string, string> = {}): string => {
        let out = text.replaceAll(DOC_APP, appBase).replaceAll(DOC_ENDPOINT, endpoint);
        for (const [placeholder, id] of Object.entries(ids)) out = out.replaceAll(placeholder, id);
        return out;
      };
      const started = Date.now();

      // Getting a token and calling.
      const tokenSteps = curlSteps(block('### Getting a token and calling (curl)', 'sh'));
      assert.equal(tokenSteps.length, 4, 'discovery, token, search, update');
      const [discoveryStep, tokenStep, searchStep, updateStep] = tokenSteps as [Step, Step, Step, Step];

      const discovery = await sh(local(discoveryStep.command), {});
      assert.equal(discovery.status, 200, discovery.body);
      const configuration = JSON.parse(discovery.body) as {
        token_endpoint: string;
        grant_types_supported: string[];
        token_endpoint_auth_methods_supported: string[];
        scopes_supported: string[];
      };
      assert.equal(configuration.token_endpoint, `${as.issuer}/token`);
      assert.ok(configuration.grant_types_supported.includes('client_credentials'));
      assert.ok(configuration.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
      assert.ok(configuration.scopes_supported.some((scope) => scope.startsWith('system/')));

      const TOKEN_ENDPOINT = configuration.token_endpoint;
      // client.jwt: the client assertion (RFC 7523) signed with the client's private key.
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS384', kid: 'client-1', typ: 'JWT' })
        .setIssuer(CLIENT_ID)
        .setSubject(CLIENT_ID)
        .setAudience(TOKEN_ENDPOINT)
        .setJti(randomUUID())
        .setExpirationTime('5m')
        .sign(clientKey);
      writeFileSync(join(dir, 'client.jwt'), assertion);
      const tokenAnswer = await sh(local(tokenStep.command), { TOKEN_ENDPOINT });
      assert.equal(tokenAnswer.status, 200, tokenAnswer.body);
      const token = JSON.parse(tokenAnswer.body) as Record<string, unknown>;
      assertLikeExample(token, JSON.parse(tokenStep.expected[0]!));
      assert.match(String(token.access_token), /^eyJ/);
      const scopeRequested = /scope='([^']+)'/.exec(tokenStep.command)?.[1] ?? '';
      assert.deepEqual(String(token.scope).split(' ').sort(), scopeRequested.split(' ').sort());
      const ACCESS_TOKEN = String(token.access_token);

      const search = await sh(local(searchStep.command), { ACCESS_TOKEN });
      assert.equal(search.status, 200, search.body);
      const bundle = JSON.parse(search.body) as { type: string; entry?: { resource: { id: string } }[] };
      assertValidFhir(bundle, 'CarePlan search');
      assert.equal(bundle.type, 'searchset');
      assert.deepEqual(
        bundle.entry?.map((e) => e.resource.id),
        [contractId],
      );

      // careplan.json: the plan as read; the system client may not write it.
      const read = await app.inject({
        method: 'GET',
        url: `/fhir/CarePlan/${contractId}`,
        headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
      });
      assert.equal(read.statusCode, 200, read.body);
      writeFileSync(join(dir, 'careplan.json'), read.body);
      assert.match(updateStep.expected.join(' '), /^this token: 403 insufficient_scope /);
      const update = await sh(local(updateStep.command, { '<id>': contractId }), { ACCESS_TOKEN });
      assert.equal(update.status, 403, update.body);
      assert.match(update.body, /"code":"insufficient_scope"/);
      assertValidFhir(JSON.parse(update.body), 'refused update');

      // Subscribing.
      const subscribeSteps = curlSteps(block('## Subscribing to plan changes', 'sh'));
      assert.equal(subscribeSteps.length, 6, 'topic, create, read, $status, search, delete');
      const [topicStep, createStep, readStep, statusStep, listStep, deleteStep] = subscribeSteps as [
        Step,
        Step,
        Step,
        Step,
        Step,
        Step,
      ];
      const topics = await sh(local(topicStep.command), {});
      assert.equal(topics.status, 200, topics.body);
      const topicBundle = JSON.parse(topics.body) as {
        type: string;
        entry: { fullUrl: string; resource: { extension: { url: string; valueUri?: string }[] } }[];
      };
      assertValidFhir(topicBundle, 'topic search');
      assert.equal(topicBundle.type, 'searchset');
      assert.match(topicStep.expected.join(' '), /Basic\/plan-changed/);
      assert.deepEqual(
        topicBundle.entry.map((e) => e.fullUrl),
        [`${appBase}/fhir/Basic/plan-changed`],
      );
      assert.equal(
        topicBundle.entry[0]!.resource.extension.find((e) => e.url.endsWith('SubscriptionTopic.url'))
          ?.valueUri,
        'https://patientkontrakt.se/fhir/SubscriptionTopic/plan-changed',
      );

      const created = await sh(local(createStep.command, { '<patient id>': w.patientId }), { ACCESS_TOKEN });
      assert.equal(created.status, 201, created.body);
      const subscription = JSON.parse(created.body) as {
        id: string;
        status: string;
        channel: { endpoint: string };
      };
      assertValidFhir(subscription, 'Subscription');
      assert.equal(subscription.status, 'requested');
      assert.equal(subscription.channel.endpoint, endpoint);
      const promised = /^201, Location: (\S+), the Subscription with status "requested"$/.exec(
        createStep.expected.at(-1) ?? '',
      );
      assert.ok(promised, `the document's answer: ${createStep.expected.join(' ')}`);
      assert.equal(created.header('location'), local(promised[1]!, { '<id>': subscription.id }));
      const ids = { '<id>': subscription.id };

      /** What the receiver got of one type (the SubscriptionStatus `type`). */
      const receivedOf = (type: string) =>
        receiver.received.filter((r) =>
          JSON.stringify(r.body).includes(`{"name":"type","valueCode":"${type}"}`),
        );
      const waitFor = async (type: string, n: number) => {
        const until = Date.now() + 5000;
        while (receivedOf(type).length < n && Date.now() < until)
          await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(receivedOf(type).length, n, `${n} ${type}`);
        return receivedOf(type)[n - 1]!;
      };
      // The handshake, as the document's example shows; then the subscription is active.
      const handshake = await waitFor('handshake', 1);
      assert.equal(handshake.path, '/hooks/pk');
      assertValidFhir(handshake.body, 'handshake');
      assertLikeExample(
        handshake.body,
        JSON.parse(
          local(block('What the endpoint receives at once after the create (the handshake):', 'json')),
        ),
      );
      assert.match(
        readStep.expected.join(' '),
        /status "active" once the endpoint has answered the handshake/,
      );
      let readSub = await sh(local(readStep.command, ids), { ACCESS_TOKEN });
      for (let i = 0; i < 50 && (JSON.parse(readSub.body) as { status: string }).status !== 'active'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        readSub = await sh(local(readStep.command, ids), { ACCESS_TOKEN });
      }
      assert.equal(readSub.status, 200, readSub.body);
      assertValidFhir(JSON.parse(readSub.body), 'Subscription read');
      assert.equal((JSON.parse(readSub.body) as { status: string }).status, 'active');

      // A plan change: the receiver is told, id-only, as the document's example shows.
      const change = await nurse.send(
        'PUT',
        `/api/patients/${w.patientId}/contract`,
        { status: 'active', content: sampleContent(w.unitId, { whatMatters: 'Att orka gå till bussen' }) },
        { 'if-match': 'W/"1"' },
      );
      assert.equal(change.statusCode, 200, change.body);
      const notification = await waitFor('event-notification', 1);
      assert.equal(notification.path, '/hooks/pk');
      assert.match(notification.contentType, /^application\/fhir\+json/);
      assertValidFhir(notification.body, 'notification');
      const example = JSON.parse(
        local(block('What the endpoint receives when the plan changes:', 'json')),
      ) as unknown;
      assertLikeExample(notification.body, example);
      const text = JSON.stringify(notification.body);
      assert.ok(text.includes(`"${appBase}/fhir/CarePlan/${contractId}"`), 'the focus is the plan');
      assert.ok(text.includes(`"${appBase}/fhir/Subscription/${subscription.id}"`));
      assert.equal(text.includes('"resourceType":"CarePlan"'), false, 'id-only');

      // Nothing else for the document's 600 s: a heartbeat, as its example shows.
      await new Promise((resolve) => setTimeout(resolve, 300));
      offsetMs += 601_000;
      const heartbeat = await waitFor('heartbeat', 1);
      // Back to now: the access token (shorter-lived than 600 s) is used again below.
      offsetMs = 0;
      assertValidFhir(heartbeat.body, 'heartbeat');
      assertLikeExample(
        heartbeat.body,
        JSON.parse(
          local(
            block(
              'What the endpoint receives when nothing was sent to it for the heartbeat period (a heartbeat):',
              'json',
            ),
          ),
        ),
      );

      const status = await sh(local(statusStep.command, ids), { ACCESS_TOKEN });
      assert.equal(status.status, 200, status.body);
      const statusBundle = JSON.parse(status.body) as {
        type: string;
        entry: {
          resource: {
            resourceType: string;
            parameter: { name: string; valueCode?: string; valueString?: string }[];
          };
        }[];
      };
      assertValidFhir(statusBundle, '$status');
      assert.equal(statusBundle.type, 'searchset');
      const parameters = statusBundle.entry[0]!.resource;
      assert.equal(parameters.resourceType, 'Parameters');
      const param = (name: string) => parameters.parameter.find((p) => p.name === name);
      assert.equal(param('type')?.valueCode, 'query-status');
      assert.equal(param('status')?.valueCode, 'active');
      assert.equal(param('events-since-subscription-start')?.valueString, '1');

      const list = await sh(local(listStep.command, ids), { ACCESS_TOKEN });
      assert.equal(list.status, 200, list.body);
      const listed = JSON.parse(list.body) as { type: string; entry?: { resource: { id: string } }[] };
      assertValidFhir(listed, 'Subscription search');
      assert.equal(listed.type, 'searchset');
      assert.deepEqual(
        listed.entry?.map((e) => e.resource.id),
        [subscription.id],
      );

      const deleted = await sh(local(deleteStep.command, ids), { ACCESS_TOKEN });
      assert.equal(deleted.status, 204, deleted.body);
      assert.equal(deleted.body, '');
      const gone = await app.inject({
        method: 'GET',
        url: `/fhir/Subscription/${subscription.id}`,
        headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
      });
      assert.equal(gone.statusCode, 410, gone.body);
      t.diagnostic(
        `the document's ten curl steps, the handshake, the notification and the heartbeat took ${Date.now() - started} ms`,
      );
    });
  });
}
