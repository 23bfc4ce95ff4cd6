/**
 * A subscription's notification receiver for the tests: an https server on 127.0.0.1 with a
 * certificate self-signed for 127.0.0.1 (made with openssl in `dir`; the app trusts it through
 * SUBSCRIPTION_CA = `caFile`). It records what it receives, or answers 503 while set down.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface ReceivedNotification<Body> {
  path: string;
  contentType: string;
  body: Body;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export async function startNotificationReceiver<Body = unknown>(dir: string) {
  const keyFile = join(dir, 'receiver.key');
  const certFile = join(dir, 'receiver.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile].concat([
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  const received: ReceivedNotification<Body>[] = [];
  let isDown = false;
  let refused = 0;
  const server = createServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (isDown) {
          refused += 1;
          response.writeHead(503).end();
          return;
        }
        received.push({
          path: request.url ?? '',
          at: Date.now(),
          contentType: String(request.headers['content-type']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body,
        });
        response.writeHead(200).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile: certFile,
    received,
    /** How many notifications were answered 503 while down. */
    refused: () => refused,
    setDown: (down: boolean) => {
      isDown = down;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
