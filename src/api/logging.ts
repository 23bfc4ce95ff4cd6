/**
 * The server's logs: Fastify's pino, one JSON object per line (time, level, reqId, msg …), and
 * without patient data (docs/operations.md, "Logs"). Fastify itself would log every request's
 * whole URL, and a search's query string carries a name or a personnummer
 * (`/api/patients?q=Lindqvist`, `/fhir/Patient?identifier=…`); so here:
 *
 * - a request is logged by its method, its route pattern (`/api/patients/:patientId`) and its
 *   path with the values of the query string left out (`/api/patients?q=…`); headers (cookies,
 *   tokens) and bodies are never logged;
 * - an error keeps its type, code, message and stack, and loses what a database error copies
 *   from the data (`detail`, `where`, the quoted values of its message);
 * - as a last net, every text of every line is scrubbed of anything shaped like a personnummer
 *   or samordningsnummer, with or without century and separator.
 *
 * Names cannot be recognised in free text: they stay out because no log line carries a request's
 * data. test/log-privacy.test.ts runs every route with the demo region's people and finds none of
 * their numbers or names in the logs.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Fastify's logger settings (pino's). */
export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** A personnummer or samordningsnummer (day + 60), 10 or 12 digits, with or without - or +. */
const PERSONAL_NUMBER =
  /(?<![\d])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|[6-8]\d|9[01])[-+]?\d{4}(?![\d])/g;

/** `text` with every personal-number-shaped sequence replaced. */
export function scrubPersonalNumbers(text: string): string {
  return text.replace(PERSONAL_NUMBER, '[personnummer]');
}

/**
 * A path parameter as logged: an id (a UUID, an HSA-id, a number: something with a digit and no
 * space) is kept, anything else (a name where an id belongs) is left out; personal numbers are
 * scrubbed after.
 */
function loggedParam(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  return /^[A-Za-z0-9._:-]{1,80}$/.test(text) && /\d/.test(text) ? text : '…';
}

/**
 * The path of a request as logged. A matched route: its pattern with each parameter's value as
 * `loggedParam` allows. No route: the first two segments, the rest left out (a 404 can be
 * anything someone typed).
 */
function loggedPath(path: string, route: string | undefined, params: unknown): string {
  if (route === undefined) {
    const segments = path.split('/');
    return segments.map((s, i) => (i <= 2 ? s : '…')).join('/');
  }
  const values = (params ?? {}) as Record<string, unknown>;
  return route.replace(/:(\w+)/g, (_, name: string) => loggedParam(values[name])).replace(/\*$/, '…');
}

/**
 * The URL of a request as logged: the path (see loggedPath when the route is known) and the
 * query's names without their values: `/api/patients?q=…&limit=…`.
 */
export function redactUrl(url: string, route?: string, params?: unknown): string {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const path = scrubPersonalNumbers(
    route === undefined && params === undefined ? rawPath : loggedPath(rawPath, route, params),
  );
  if (q === -1) return path;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${scrubPersonalNumbers(decodeSafely(pair.split('=')[0] ?? ''))}=…`);
  return `${path}?${names.join('&')}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonalNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  // Errors, requests and replies are left to their serializers below.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

interface LoggedError {
  type: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
  cause?: LoggedError | undefined;
}

/** An error as logged: no copy of the data it was about. */
export function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubPersonalNumbers(String(error)) };
  const code = (error as { code?: unknown }).code;
  // A database error (SQLSTATE code) quotes the values it refused: "invalid input … "Lindqvist"".
  const isDatabaseError = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  const clean = (text: string): string =>
    scrubPersonalNumbers(isDatabaseError ? text.replace(/"[^"\n]*"/g, '"…"') : text);
  return {
    type: error.name,
    message: clean(error.message),
    stack: error.stack === undefined ? undefined : clean(error.stack),
    code: typeof code === 'string' ? code : undefined,
    cause: error.cause !== undefined && depth < 3 ? serializeError(error.cause, depth + 1) : undefined,
  };
}

/** A stream the lines go to (tests collect them); default standard output. */
export interface LogDestination {
  write(line: string): void;
}

/** Fastify's `logger` option: level, these serializers and the scrubbing net. */
export function loggerOptions(level: string, stream?: LogDestination): LoggerOptions {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: FastifyRequest): Record<string, unknown> => ({
        method: request.method,
        route: request.routeOptions?.url,
        url: redactUrl(request.url, request.routeOptions?.url, request.params ?? {}),
        remoteAddress: request.ip,
      }),
      res: (reply) => ({ statusCode: reply.statusCode }),
      err: (error) => {
        const logged = serializeError(error);
        return { ...logged, stack: logged.stack ?? '' };
      },
    },
    formatters: {
      log: (object: Record<string, unknown>) => scrubDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args.map((a: unknown) =>
          typeof a === 'string' ? scrubPersonalNumbers(a) : a,
        );
        method.apply(this, [first as string, ...(rest as string[])]);
      },
    },
  };
}
