/**
 * Errors on FHIR routes: every failure is an OperationOutcome with the HTTP status of the error
 * catalogue (src/domain/errors.ts, through `describeError`). Like Medplum's `getStatus(outcome)`,
 * the status and the issue code come from one table.
 * See: https://hl7.org/fhir/R4/operationoutcome.html and https://hl7.org/fhir/R4/http.html
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { challengeIfUnauthenticated, describeError } from '../api/error-handler.ts';
import type { ErrorCode } from '../domain/errors.ts';

/** FHIR IssueType codes used here. See: https://hl7.org/fhir/R4/valueset-issue-type.html */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'not-found'
  | 'too-long'
  | 'business-rule'
  | 'conflict'
  | 'throttled'
  | 'transient'
  | 'exception';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: 'fatal' | 'error' | 'warning' | 'information';
    code: IssueType;
    diagnostics: string;
    details?: { coding?: { system: string; code: string }[]; text: string };
    expression?: string[];
  }[];
}

/** The code system of the product's stable error codes, carried in `issue.details.coding`. */
export const ERROR_CODE_SYSTEM = 'https://patientkontrakt.se/fhir/CodeSystem/error-code';

const issueTypes: Record<ErrorCode, IssueType> = {
  invalid_input: 'invalid',
  invalid_patient_id: 'value',
  unknown_unit: 'processing',
  unknown_staff: 'processing',
  not_a_physician: 'business-rule',
  not_municipal: 'business-rule',
  unauthenticated: 'login',
  forbidden: 'forbidden',
  not_found: 'not-found',
  precondition_required: 'required',
  version_conflict: 'conflict',
  fast_vardkontakt_exists: 'business-rule',
  fast_lakarkontakt_exists: 'business-rule',
  fast_omsorgskontakt_exists: 'business-rule',
  contract_exists: 'business-rule',
  patient_exists: 'duplicate',
  contract_incomplete: 'required',
  invalid_transition: 'business-rule',
  next_contact_changed: 'conflict',
  contact_not_active: 'business-rule',
  dev_login_disabled: 'forbidden',
  proxy_confirmation_required: 'business-rule',
  file_too_large: 'too-long',
  rate_limited: 'throttled',
  vital_signs_invalid: 'value',
  assessment_config_invalid: 'invalid',
  enrolment_same_person: 'business-rule',
  enrolment_professions: 'business-rule',
  enrolment_not_team_member: 'business-rule',
  enrolment_exists: 'duplicate',
  enrolment_transition: 'business-rule',
  enrolment_invalid: 'invalid',
  care_directive_physician_only: 'business-rule',
  care_directive_ended: 'business-rule',
  escalation_transition: 'business-rule',
  escalation_decision_invalid: 'required',
  team_schedule_invalid: 'invalid',
  hospital_stay_open: 'conflict',
  hospital_stay_invalid: 'invalid',
  not_in_register: 'not-found',
  register_unavailable: 'transient',
  merge_refused: 'business-rule',
  last_system_admin: 'business-rule',
  product_role_conflict: 'conflict',
  invalid_token: 'login',
  insufficient_scope: 'forbidden',
  authorization_server_unavailable: 'transient',
  database_unavailable: 'transient',
  internal: 'exception',
};

const issueTypesByStatus: Record<number, IssueType> = {
  400: 'structure',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  412: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  428: 'required',
  429: 'throttled',
};

/** Fastify's body parser errors, in words a person understands. */
const parserMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Innehållet är inte giltig JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Innehållet saknas. Skicka en FHIR-resurs som JSON.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'Innehållstypen stöds inte. Skicka application/fhir+json eller application/json.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Resursen är för stor.',
};

/** The main message of a schema failure, by the part of the request that failed. */
const validationMessages: Record<string, string> = {
  body: 'Resursen är inte giltig. Felen står i issue.expression.',
  querystring: 'Sökningen innehåller en parameter som inte stöds eller har fel format.',
  params: 'Adressen är inte giltig.',
};

/** Where a schema validation failed (body, querystring …), or undefined for other errors. */
function validationContextOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('validation' in error)) return undefined;
  const context = (error as { validationContext?: unknown }).validationContext;
  return typeof context === 'string' ? context : undefined;
}

/**
 * One message for every "not found", whether the resource is missing or the reader may not see
 * it, so that ids cannot be probed (security.md 3).
 */
export const NOT_FOUND_MESSAGE = 'Resursen finns inte eller så saknar du behörighet till den.';

/** An HTTP-level refusal that the domain catalogue has no code for (405, 406, unsupported search). */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issueType: IssueType,
    message: string,
  ) {
    super(message);
    this.name = 'FhirError';
  }
}

/** Turns any thrown value into an HTTP status and an OperationOutcome. */
export function toOperationOutcome(
  error: unknown,
  resourceType?: string,
): { status: number; outcome: OperationOutcome } {
  if (error instanceof FhirError) {
    return { status: error.status, outcome: outcome(error.issueType, error.message) };
  }
  const body = describeError(error);
  const known = body.code in issueTypes ? issueTypes[body.code as ErrorCode] : undefined;
  const context = validationContextOf(error);
  const code =
    context === 'querystring'
      ? 'not-supported'
      : (known ?? issueTypesByStatus[body.status] ?? (body.status >= 500 ? 'exception' : 'invalid'));
  const message =
    code === 'not-found'
      ? NOT_FOUND_MESSAGE
      : context !== undefined
        ? (validationMessages[context] ?? body.message)
        : (parserMessages[body.code] ?? body.message);
  const main = outcome(code, message, body.code);
  const details = code === 'not-found' ? [] : body.details;
  for (const d of details) {
    main.issue.push({
      severity: 'error',
      code: code === 'invalid' && /typ|format/i.test(d.message) ? 'value' : code,
      diagnostics: d.message,
      expression: [toExpression(d.path, resourceType)],
    });
  }
  return { status: body.status, outcome: main };
}

/** An OperationOutcome with one error issue. */
export function outcome(code: IssueType, message: string, errorCode?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code,
        diagnostics: message,
        details: {
          ...(errorCode ? { coding: [{ system: ERROR_CODE_SYSTEM, code: errorCode }] } : {}),
          text: message,
        },
      },
    ],
  };
}

/**
 * A FHIRPath-like expression from a JSON pointer of the request (`body/name/0/family` →
 * `Patient.name[0].family`); paths that already read as FHIRPath pass through.
 */
export function toExpression(path: string, resourceType?: string): string {
  if (path === 'body') return resourceType ?? path;
  if (!path.includes('/')) return path;
  const parts = path.split('/').filter((p) => p !== '');
  const where = parts[0];
  const rest =
    where === 'body' || where === 'querystring' || where === 'params' || where === 'headers'
      ? parts.slice(1)
      : parts;
  const expression = rest.reduce(
    (acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
  if (where === 'body' && resourceType) return expression ? `${resourceType}.${expression}` : resourceType;
  return expression || (where ?? path);
}

/** The FHIR error handler: OperationOutcome with the right status; internals are logged, never sent. */
export function sendOutcome(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  resourceType?: string,
): FastifyReply {
  const { status, outcome: body } = toOperationOutcome(error, resourceType);
  if (status >= 500) request.log.error({ err: error }, 'FHIR request failed');
  challengeIfUnauthenticated(reply, status);
  return reply.status(status).send(body);
}
