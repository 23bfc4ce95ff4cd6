/**
 * The national person service (Inera's Personuppgiftstjänsten) as a {@link PersonRegister}: the
 * RIV-TA contract GetPersonsForProfile, version 3, of the domain
 * strategicresourcemanagement:persons:person, SOAP 1.1 over mutual TLS (the region's function
 * certificate; Ineras "Tjänstekontraktsbeskrivning strategicresourcemanagement:persons:person").
 * A regional equivalent that answers the same contract is configured the same way
 * (docs/operations.md, "The person service").
 *
 * What is read of a person record: the name, gender and birth time, the protection markers
 * (`protectedPersonIndicator`: sekretessmarkering; `protectedPopulationRecord`: skyddad
 * folkbokföring, when the service gives no address), the residential address and municipality,
 * and the deregistration (reason AV: died; UV: emigrated). A number the service does not know
 * answers without a person record. A SOAP fault, a timeout, a refused connection or an answer
 * that cannot be read is `register_unavailable`: the caller then writes nothing.
 */
import { request as httpsRequest } from 'node:https';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { keptOf, type RegisterAnswer, type RegisterPerson } from '../domain/person-register.ts';
import type { PersonRegister } from './person-register.ts';

/** The OIDs of the Swedish person identities (Inera, "OID för svenska personidentiteter"). */
export const personIdRoots = {
  personnummer: '1.2.752.129.2.1.3.1',
  samordningsnummer: '1.2.752.129.2.1.3.3',
} as const;

export const RESPONDER_NS =
  'urn:riv:strategicresourcemanagement:persons:person:GetPersonsForProfileResponder:3';
export const PERSON_NS = 'urn:riv:strategicresourcemanagement:persons:person:3';
export const ADDRESSING_NS = 'urn:riv:itintegration:registry:1';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The settings of the person service (PERSON_SERVICE_*), as src/config.ts reads them. */
export type PersonServiceSettings = NonNullable<Config['personService']>;

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true });
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'requestedPersonRecord' || name === 'givenName',
});

/** The SOAP request for one number. */
export function getPersonsForProfileRequest(
  settings: Pick<PersonServiceSettings, 'logicalAddress' | 'profile'>,
  identifier: string,
  kind: keyof typeof personIdRoots,
): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'soap:Envelope': {
      '@_xmlns:soap': SOAP_NS,
      '@_xmlns:add': ADDRESSING_NS,
      '@_xmlns:gp': RESPONDER_NS,
      'soap:Header': { 'add:LogicalAddress': settings.logicalAddress },
      'soap:Body': {
        'gp:GetPersonsForProfile': {
          'gp:profile': settings.profile,
          'gp:personId': { root: personIdRoots[kind], extension: identifier },
        },
      },
    },
  });
}

type Xml = Record<string, unknown>;
const obj = (v: unknown): Xml | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Xml) : undefined;
const text = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  const inner = obj(v)?.['#text'];
  return typeof inner === 'string' && inner.trim() !== '' ? inner.trim() : null;
};
const isTrue = (v: unknown): boolean => text(v) === 'true';

/** `YYYYMMDD` (or `YYYY-MM-DD`) as `YYYY-MM-DD`; null otherwise. */
function day(v: unknown): string | null {
  const t = text(v)?.replace(/-/g, '').slice(0, 8) ?? null;
  return t !== null && /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
}

/** Reads a GetPersonsForProfile answer (the SOAP envelope's text) for `identifier`. */
export function readGetPersonsForProfileResponse(xml: string, identifier: string): RegisterAnswer {
  let doc: Xml;
  try {
    doc = parser.parse(xml) as Xml;
  } catch (error) {
    throw unavailable(error);
  }
  const body = obj(obj(doc.Envelope)?.Body);
  if (!body) throw unavailable(new Error('no SOAP body'));
  if (body.Fault !== undefined)
    throw unavailable(new Error(`SOAP fault: ${text(obj(body.Fault)?.faultstring)}`));
  if (!('GetPersonsForProfileResponse' in body))
    throw unavailable(new Error('no GetPersonsForProfileResponse'));
  // An answer without records is an empty element: the service does not know the number.
  const response = obj(body.GetPersonsForProfileResponse);
  const records = (response?.requestedPersonRecord as unknown[] | undefined) ?? [];
  const record = records
    .map(obj)
    .find((r) => text(obj(r?.requestedPersonalIdentity)?.extension) === identifier);
  const person = obj(record?.personRecord);
  if (!person) return { found: false };
  return { found: true, person: keptOf(personOf(person, identifier)) };
}

function personOf(p: Xml, identifier: string): RegisterPerson {
  const identity = obj(p.personalIdentity);
  const root = text(identity?.root);
  const name = obj(p.name);
  const given = ((name?.givenName as unknown[] | undefined) ?? [])
    .map((g) => text(obj(g)?.name))
    .filter((g): g is string => g !== null);
  const familyName = text(obj(name?.surname)?.name);
  if (given.length === 0 || familyName === null)
    throw unavailable(new Error('a person record without a name'));
  const gender = text(obj(p.gender)?.code);
  const protection = isTrue(p.protectedPopulationRecord)
    ? 'skyddad-folkbokforing'
    : isTrue(p.protectedPersonIndicator)
      ? 'sekretessmarkering'
      : 'none';
  const info = obj(p.addressInformation);
  const residential = obj(info?.residentialAddress);
  const line = text(residential?.postalAddress2) ?? text(residential?.postalAddress1);
  const municipalityCode = text(obj(info?.residentialMunicipality)?.code);
  const deregistration = obj(p.deregistration);
  const reason = text(deregistration?.deregistrationReasonCode);
  const deregisteredOn = day(deregistration?.deregistrationDate);
  return {
    identifier,
    kind: root === personIdRoots.samordningsnummer ? 'samordningsnummer' : 'personnummer',
    givenName: given.join(' '),
    familyName,
    birthDate: day(obj(p.birthTime)?.value ?? p.birthTime),
    // ISO/IEC 5218 as Inera's KV Kön uses it: 1 male, 2 female.
    sex: gender === '2' ? 'female' : gender === '1' ? 'male' : null,
    address:
      line === null && municipalityCode === null
        ? null
        : {
            line,
            postalCode: text(residential?.postalCode)?.replace(/\s/g, '') ?? null,
            city: text(residential?.city),
            municipalityCode:
              municipalityCode !== null && /^\d{4}$/.test(municipalityCode) ? municipalityCode : null,
          },
    protection,
    deceasedOn: reason === 'AV' ? deregisteredOn : null,
    movedOutOn: reason === 'UV' ? deregisteredOn : null,
  };
}

function unavailable(cause: unknown): DomainError {
  const error = new DomainError('register_unavailable');
  (error as Error & { cause?: unknown }).cause = cause;
  return error;
}

/** Sends one request over mutual TLS; the answer's text, or `register_unavailable`. */
function post(settings: PersonServiceSettings, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(settings.url);
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        cert: settings.cert,
        key: settings.key,
        ...(settings.ca ? { ca: settings.ca } : {}),
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: `${RESPONDER_NS}:GetPersonsForProfile`,
          'content-length': Buffer.byteLength(body),
        },
        timeout: settings.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A person's record is a few kilobytes; anything near a megabyte is not an answer.
          if (size > 1 << 20) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          // A SOAP fault comes with 500: read it as the fault it is (unavailable either way).
          if ((res.statusCode ?? 0) >= 400 && !answer.includes('Fault'))
            reject(unavailable(new Error(`HTTP ${res.statusCode}`)));
          else resolve(answer);
        });
        res.on('error', (error) => reject(unavailable(error)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${settings.timeoutMs} ms`)));
    req.on('error', (error) => reject(unavailable(error)));
    req.end(body);
  });
}

/** The person service as the product's register. */
export function createPersonuppgiftstjanstenRegister(settings: PersonServiceSettings): PersonRegister {
  return {
    source: 'personuppgiftstjansten',
    async lookup(identifier, kind) {
      const answer = await post(settings, getPersonsForProfileRequest(settings, identifier, kind));
      return readGetPersonsForProfileResponse(answer, identifier);
    },
  };
}
