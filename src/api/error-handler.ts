/**
 * Maps every error to a response: DomainErrors by the catalogue, schema failures as 400 with
 * the failing fields, anything unexpected as a generic 500 without internals (security.md 16).
 * FHIR routes answer with an OperationOutcome instead (see fhir/outcome.ts).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorCatalogue } from '../domain/errors.ts';
import { SESSION_COOKIE } from './auth-routes.ts';

export interface ErrorBody {
  status: number;
  /** A catalogue code (ErrorCode) or Fastify's own code for protocol errors. */
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

/** Turns any thrown value into a status, a stable code and a Swedish message. */
export function describeError(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return {
      status: errorCatalogue[error.code].status,
      code: error.code,
      message: error.message,
      details: [...error.details],
    };
  }
  const e = error as FastifyError & {
    validation?: AjvIssue[];
  };
  if (e.validation) {
    return {
      status: 400,
      code: 'invalid_input',
      message: 'Uppgifterna är inte giltiga. Kontrollera de markerade fälten.',
      details: e.validation.map((v) => ({
        path: `${e.validationContext ?? ''}${v.instancePath ?? ''}${
          v.params && 'additionalProperty' in v.params ? `/${String(v.params.additionalProperty)}` : ''
        }`,
        message: translateAjv(v),
      })),
    };
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const byStatus: Record<number, string> = {
      400: 'Förfrågan är felaktig.',
      404: 'Sidan eller uppgiften finns inte.',
      405: 'Metoden stöds inte här.',
      406: 'Formatet stöds inte.',
      413: 'Förfrågan är för stor.',
      415: 'Innehållstypen stöds inte. Skicka JSON.',
      429: errorCatalogue.rate_limited.message,
    };
    return {
      status: e.statusCode,
      code: e.code ?? 'bad_request',
      message: byStatus[e.statusCode] ?? 'Förfrågan är felaktig.',
      details: [],
    };
  }
  return { status: 500, code: 'internal', message: errorCatalogue.internal.message, details: [] };
}

/** One schema failure as Fastify's validator (Ajv) reports it. */
interface AjvIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const typeNames: Record<string, string> = {
  string: 'text',
  number: 'ett tal',
  integer: 'ett heltal',
  boolean: 'sant eller falskt (true eller false)',
  object: 'ett objekt',
  array: 'en lista',
  null: 'tomt (null)',
};

const formatNames: Record<string, string> = {
  date: 'ett datum (ÅÅÅÅ-MM-DD)',
  'date-time': 'en tidpunkt med tidszon (ÅÅÅÅ-MM-DDTtt:mm:ssZ)',
  time: 'ett klockslag',
  uuid: 'ett id (UUID)',
  email: 'en e-postadress',
  uri: 'en adress (URI)',
};

/**
 * A Swedish message for one schema failure, chosen by the failing keyword (never Ajv's English
 * text, which is not passed on): every field-level message a person sees is Swedish.
 */
function translateAjv(issue: AjvIssue): string {
  const params = issue.params ?? {};
  const limit = typeof params.limit === 'number' ? params.limit : undefined;
  switch (issue.keyword ?? '') {
    case 'additionalProperties':
      return 'Okänt fält.';
    case 'required':
      return `Fältet ${String(params.missingProperty)} saknas.`;
    case 'type': {
      const raw = params.type;
      const names = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
      const types = names.map((t) => typeNames[t] ?? t);
      return `Fel typ: ska vara ${types.join(' eller ')}.`;
    }
    case 'enum':
    case 'const':
      return 'Värdet är inte ett av de tillåtna.';
    case 'format':
      return `Fel format: ska vara ${formatNames[String(params.format)] ?? 'i rätt format'}.`;
    case 'pattern':
      return 'Fel format.';
    case 'minLength':
      return limit === 1 ? 'Får inte vara tomt.' : `För kort: minst ${limit ?? ''} tecken.`;
    case 'maxLength':
      return `För långt: högst ${limit ?? ''} tecken.`;
    case 'minItems':
      return `För få: minst ${limit ?? ''}.`;
    case 'maxItems':
      return `För många: högst ${limit ?? ''}.`;
    case 'minimum':
      return `För litet: minst ${limit ?? ''}.`;
    case 'exclusiveMinimum':
      return `För litet: ska vara större än ${limit ?? ''}.`;
    case 'maximum':
      return `För stort: högst ${limit ?? ''}.`;
    case 'exclusiveMaximum':
      return `För stort: ska vara mindre än ${limit ?? ''}.`;
    case 'uniqueItems':
      return 'Samma värde finns flera gånger.';
    case 'minProperties':
      return 'För få fält.';
    case 'maxProperties':
      return 'För många fält.';
    case 'anyOf':
    case 'oneOf':
      return 'Värdet är inte av något av de tillåtna slagen.';
    default:
      return 'Värdet är inte giltigt.';
  }
}

/**
 * The challenge every 401 carries, on the JSON API and on FHIR alike: RFC 9110 §15.5.2 (formerly
 * RFC 7235 §3.1) requires one. Login is the session cookie the /auth routes set, not a token in
 * Authorization, so the scheme names the cookie (the "Cookie" scheme of the expired Internet-Draft
 * draft-broyer-http-cookie-auth) rather than Bearer, which no route here accepts.
 */
export const AUTH_CHALLENGE = `Cookie realm="patientkontrakt", cookie-name="${SESSION_COOKIE}"`;

/**
 * Adds the login challenge when `status` is 401. Both error handlers call it. A challenge set
 * before (a refused bearer token on /fhir: `Bearer error="invalid_token"`) is kept.
 */
export function challengeIfUnauthenticated(reply: FastifyReply, status: number): void {
  if (status === 401 && !reply.hasHeader('www-authenticate'))
    void reply.header('www-authenticate', AUTH_CHALLENGE);
}

/** The JSON API's error handler. */
export function sendJsonError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = describeError(error);
  if (body.status >= 500) request.log.error({ err: error }, 'request failed');
  challengeIfUnauthenticated(reply, body.status);
  return reply.status(body.status).send({
    error: {
      code: body.code,
      message: body.message,
      ...(body.details.length ? { details: body.details } : {}),
      requestId: request.id,
    },
  });
}
