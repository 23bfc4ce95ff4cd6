/**
 * The one error catalogue. The domain and the stores throw `DomainError`s with a stable code;
 * src/api/error-handler.ts maps each code to an HTTP status, a JSON body or a FHIR
 * OperationOutcome. Messages are Swedish: staff and patients read them.
 */
export const errorCatalogue = {
  invalid_input: { status: 400, message: 'Uppgifterna är inte giltiga.' },
  invalid_patient_id: { status: 400, message: 'Personnumret eller samordningsnumret är inte giltigt.' },
  unknown_unit: { status: 422, message: 'Vårdenheten finns inte.' },
  unknown_staff: { status: 422, message: 'Medarbetaren finns inte.' },
  not_a_physician: { status: 422, message: 'En fast läkarkontakt måste vara läkare.' },
  not_municipal: { status: 422, message: 'En fast omsorgskontakt ska höra till en kommunal enhet.' },
  unauthenticated: { status: 401, message: 'Du behöver logga in.' },
  forbidden: { status: 403, message: 'Du har inte behörighet till detta.' },
  not_found: { status: 404, message: 'Uppgiften finns inte.' },
  precondition_required: {
    status: 428,
    message: 'Ange vilken version du utgår från (If-Match), så att ingen annans ändring skrivs över.',
  },
  version_conflict: {
    status: 412,
    message: 'Någon annan har ändrat uppgifterna sedan du öppnade dem. Hämta den senaste versionen.',
  },
  fast_vardkontakt_exists: {
    status: 409,
    message:
      'Patienten har redan en fast vårdkontakt. Det kan bara finnas en; avsluta eller byt den nuvarande först.',
  },
  fast_lakarkontakt_exists: {
    status: 409,
    message: 'Patienten har redan en fast läkarkontakt. Byt eller avsluta den nuvarande först.',
  },
  fast_omsorgskontakt_exists: {
    status: 409,
    message: 'Patienten har redan en fast omsorgskontakt. Byt eller avsluta den nuvarande först.',
  },
  contract_exists: {
    status: 409,
    message: 'Patienten har redan ett aktuellt patientkontrakt. Ändra det i stället för att skapa ett nytt.',
  },
  patient_exists: { status: 409, message: 'Det finns redan en patient med det personnumret.' },
  contract_incomplete: {
    status: 422,
    message: 'Ett aktivt kontrakt behöver nästa kontakt, fast vårdkontakt och datum för uppföljning.',
  },
  invalid_transition: { status: 409, message: 'Ändringen går inte att göra i kontraktets nuvarande status.' },
  next_contact_changed: {
    status: 409,
    message:
      'Tiden för nästa kontakt har ändrats sedan du öppnade sidan. Titta på den nya tiden och svara igen.',
  },
  contact_not_active: { status: 409, message: 'Kontakten är redan avslutad.' },
  dev_login_disabled: { status: 403, message: 'Utvecklingsinloggningen är avstängd i den här miljön.' },
  proxy_confirmation_required: {
    status: 409,
    message:
      'Patienten har skyddade personuppgifter. Den som får tillgång ser patientens namn och plan. Bekräfta att det är säkert innan du ger tillgång.',
  },
  file_too_large: {
    status: 413,
    message: 'Filen är för stor för API:t. Dela upp den, eller importera den med npm run import.',
  },
  rate_limited: { status: 429, message: 'För många förfrågningar. Vänta en stund och försök igen.' },
  vital_signs_invalid: {
    status: 422,
    message: 'Mätvärdena går inte att använda. Kontrollera de markerade värdena; inget har sparats.',
  },
  assessment_config_invalid: {
    status: 422,
    message: 'Bedömningsstödets konfiguration är inte giltig. Inget har ändrats.',
  },
  enrolment_same_person: {
    status: 422,
    message: 'Inskrivningen beslutas av två personer: den som bekräftar kan inte vara den som föreslog.',
  },
  enrolment_professions: {
    status: 422,
    message:
      'En läkare och en sjuksköterska beslutar inskrivningen tillsammans: den ena föreslår, den andra bekräftar.',
  },
  enrolment_not_team_member: {
    status: 422,
    message: 'Den som föreslår eller bekräftar en inskrivning ska vara medlem i teamet.',
  },
  enrolment_exists: { status: 409, message: 'Patienten är redan inskriven i teamet.' },
  enrolment_transition: {
    status: 409,
    message: 'Inskrivningen kan inte ändras på det sättet i sin nuvarande status.',
  },
  enrolment_invalid: { status: 422, message: 'Uppgifterna om inskrivningen är inte giltiga.' },
  care_directive_physician_only: {
    status: 422,
    message: 'Behandlingsbegränsningar och SpO₂-skala 2 dokumenteras av läkare.',
  },
  care_directive_ended: { status: 409, message: 'Ställningstagandet är redan avslutat.' },
  escalation_transition: {
    status: 409,
    message: 'Ärendet kan inte ändras på det sättet i sin nuvarande status.',
  },
  escalation_decision_invalid: {
    status: 422,
    message: 'Beslutet är inte fullständigt: ett hembesök eller en ny bedömning behöver en tid.',
  },
  hospital_stay_open: {
    status: 409,
    message:
      'Patienten fick ett annat pågående vårdtillfälle medan importen kördes. Inget har skrivits; kör importen igen.',
  },
  hospital_stay_invalid: {
    status: 422,
    message: 'Uppgifterna om vårdtillfället är inte giltiga. Kontrollera de markerade fälten.',
  },
  team_schedule_invalid: {
    status: 422,
    message: 'Teamets tider eller jourlista är inte giltiga. Kontrollera de markerade raderna.',
  },
  not_in_register: {
    status: 422,
    message:
      'Numret finns inte i folkbokföringen. Kontrollera numret; en person utan personnummer eller samordningsnummer får ett reservnummer.',
  },
  register_unavailable: {
    status: 503,
    message: 'Folkbokföringen svarar inte just nu. Försök igen om en stund; inget har sparats.',
  },
  merge_refused: {
    status: 409,
    message: 'Reservnumret kan inte sammanföras med personnumret. Inget har ändrats.',
  },
  last_system_admin: {
    status: 409,
    message:
      'Det här är regionens sista systemförvaltare. Ge rollen till någon annan först, så att någon kan sköta registren.',
  },
  product_role_conflict: {
    status: 409,
    message: 'Rollen kan inte ändras så på enheten just nu. Inget har ändrats.',
  },
  invalid_token: { status: 401, message: 'Token är ogiltig.' },
  insufficient_scope: { status: 403, message: 'Token har inte behörighet (scope) för den här förfrågan.' },
  authorization_server_unavailable: {
    status: 503,
    message: 'Utfärdarens nycklar kunde inte hämtas just nu. Försök igen om en stund.',
  },
  database_unavailable: { status: 503, message: 'Databasen svarar inte just nu. Försök igen om en stund.' },
  internal: { status: 500, message: 'Något gick fel hos oss. Försök igen om en stund.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A rule was broken or something was not found. Thrown by the domain and the stores. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalogue[code].message,
    /** Field-level details: where in the input, and what is wrong there. */
    readonly details: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
