/**
 * The rest-hook channel of FHIR Subscriptions (services/subscription-service.ts): one POST of a
 * notification Bundle to the subscriber's https endpoint.
 */
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** Sends a body to an endpoint; throws (with a reason fit for `Subscription.error`) when not received. */
export type NotificationSender = (endpoint: string, body: string) => Promise<void>;

/**
 * POSTs JSON to an https endpoint with Node's https client: a timeout, no redirects followed,
 * any 2xx counts as received. `ca` (PEM) is trusted beside the system's roots (tests: a
 * self-signed receiver; never a switch that turns certificate checks off).
 */
export function createHttpsSender(options: {
  timeoutMs: number;
  ca?: string | undefined;
}): NotificationSender {
  const ca = options.ca ? [...rootCertificates, options.ca] : undefined;
  return (endpoint, body) =>
    new Promise<void>((resolve, reject) => {
      const url = new URL(endpoint);
      if (url.protocol !== 'https:') {
        reject(new Error('mottagaradressen är inte https'));
        return;
      }
      const req = httpsRequest(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/fhir+json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          },
          timeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
          ...(ca ? { ca } : {}),
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`mottagaren svarade ${status}`));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`inget svar inom ${options.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`kunde inte nå mottagaren (${error.code ?? error.message})`)),
      );
      req.end(body);
    });
}
