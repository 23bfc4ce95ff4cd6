/**
 * A local stand-in for Inera's Personuppgiftstjänsten: https that requires a client certificate
 * signed by its own test CA (made at test time with the openssl CLI), answering
 * GetPersonsForProfile (version 3) in the shape of the published contract
 * (strategicresourcemanagement:persons:person): a person record with name, gender, birth time,
 * the protection indicators, residential address and municipality, and deregistration; no
 * record for a number it does not know; a SOAP fault, or no answer at all, where a test asks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A person as the test service holds them. */
export interface ServicePerson {
  givenNames: string[];
  surname: string;
  /** ISO/IEC 5218: '1' male, '2' female. */
  gender: '1' | '2';
  birthTime: string;
  protectedPersonIndicator?: boolean;
  protectedPopulationRecord?: boolean;
  address?: { line: string; postalCode: string; city: string; municipalityCode: string };
  deregistration?: { reason: 'AV' | 'UV'; date: string };
}

/** What the service does for a number: answer a person, a SOAP fault, or nothing (a hang). */
export type Behaviour = ServicePerson | 'fault' | 'hang';

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
  /** A client certificate from another CA, which the service must refuse. */
  strangerKey: string;
  strangerCert: string;
}

/** A CA, a server certificate for localhost, a client certificate, and one from a stranger CA. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'pu-tls-'));
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'stranger-ca'])
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.crt`,
      '-subj',
      `/CN=${ca}`,
      '-days',
      '2',
    );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const issue = (name: string, ca: string, ext: string, subject: string): void => {
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      ext,
    );
  };
  issue('server', 'ca', 'server.ext', '/CN=localhost');
  issue('client', 'ca', 'client.ext', '/CN=SE2321000000-FUNKTION');
  issue('stranger', 'stranger-ca', 'client.ext', '/CN=stranger');
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    clientKey: read('client.key'),
    clientCert: read('client.crt'),
    strangerKey: read('stranger.key'),
    strangerCert: read('stranger.crt'),
  };
}

const RESPONDER = 'urn:riv:strategicresourcemanagement:persons:person:GetPersonsForProfileResponder:3';
const PERSON = 'urn:riv:strategicresourcemanagement:persons:person:3';

function personRecordXml(identifier: string, p: ServicePerson): string {
  const address =
    p.address && !p.protectedPopulationRecord && !p.protectedPersonIndicator
      ? `<pp:addressInformation>
          <pp:residentialAddress><pp:postalAddress2>${p.address.line}</pp:postalAddress2>
            <pp:postalCode>${p.address.postalCode}</pp:postalCode><pp:city>${p.address.city}</pp:city></pp:residentialAddress>
          <pp:residentialMunicipality><pp:code>${p.address.municipalityCode}</pp:code></pp:residentialMunicipality>
        </pp:addressInformation>`
      : '';
  const deregistration = p.deregistration
    ? `<pp:deregistration><pp:deregistrationReasonCode>${p.deregistration.reason}</pp:deregistrationReasonCode>
         <pp:deregistrationDate>${p.deregistration.date}</pp:deregistrationDate></pp:deregistration>`
    : '';
  return `<pp:personRecord>
      <pp:personalIdentity><pp:root>1.2.752.129.2.1.3.1</pp:root><pp:extension>${identifier}</pp:extension></pp:personalIdentity>
      <pp:protectedPersonIndicator>${p.protectedPersonIndicator === true}</pp:protectedPersonIndicator>
      <pp:protectedPopulationRecord>${p.protectedPopulationRecord === true}</pp:protectedPopulationRecord>
      <pp:testIndicator>true</pp:testIndicator>
      <pp:name>${p.givenNames.map((g) => `<pp:givenName><pp:name>${g}</pp:name></pp:givenName>`).join('')}
        <pp:surname><pp:name>${p.surname}</pp:name></pp:surname></pp:name>
      <pp:gender><pp:code>${p.gender}</pp:code></pp:gender>
      <pp:birthTime>${p.birthTime}</pp:birthTime>
      ${deregistration}
      ${address}
    </pp:personRecord>`;
}

/** The SOAP answer for `identifier` (no record when the service does not know it). */
function answerXml(identifier: string, person: ServicePerson | undefined): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <r:GetPersonsForProfileResponse xmlns:r="${RESPONDER}" xmlns:pp="${PERSON}">
      ${
        person
          ? `<r:requestedPersonRecord>
        <r:requestedPersonalIdentity><pp:root>1.2.752.129.2.1.3.1</pp:root><pp:extension>${identifier}</pp:extension></r:requestedPersonalIdentity>
        ${personRecordXml(identifier, person)}
      </r:requestedPersonRecord>`
          : ''
      }
    </r:GetPersonsForProfileResponse>
  </s:Body>
</s:Envelope>`;
}

const faultXml = `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
  <faultcode>s:Server</faultcode><faultstring>Tjänsten är inte tillgänglig</faultstring>
</s:Fault></s:Body></s:Envelope>`;

export interface PersonServiceServer {
  url: string;
  /** The requests answered so far (each with the number asked for and the logical address). */
  requests: { identifier: string; logicalAddress: string; profile: string }[];
  /** TLS handshakes refused (a client certificate missing or from another CA). */
  refusedHandshakes: number;
  close(): Promise<void>;
}

/** Starts the service on a free port of 127.0.0.1, answering from `people`. */
export async function startPersonService(
  certs: TestCertificates,
  people: ReadonlyMap<string, Behaviour>,
): Promise<PersonServiceServer> {
  const requests: PersonServiceServer['requests'] = [];
  const hanging = new Set<() => void>();
  const state = { refusedHandshakes: 0 };
  const server: Server = createServer(
    {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: [certs.caCert],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const pick = (tag: string): string => new RegExp(`<(?:\\w+:)?${tag}>([^<]*)<`).exec(body)?.[1] ?? '';
        const identifier = pick('extension');
        requests.push({ identifier, logicalAddress: pick('LogicalAddress'), profile: pick('profile') });
        const behaviour = people.get(identifier);
        if (behaviour === 'hang') {
          const end = (): void => void res.destroy();
          hanging.add(end);
          return;
        }
        if (behaviour === 'fault') {
          res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' }).end(faultXml);
          return;
        }
        res
          .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
          .end(answerXml(identifier, behaviour));
      });
    },
  );
  server.on('tlsClientError', () => {
    state.refusedHandshakes += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/strategicresourcemanagement/persons/person/GetPersonsForProfile/3`,
    requests,
    get refusedHandshakes() {
      return state.refusedHandshakes;
    },
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Removes the certificates' folder. */
export function removeCertificates(certs: TestCertificates): void {
  rmSync(certs.dir, { recursive: true, force: true });
}
