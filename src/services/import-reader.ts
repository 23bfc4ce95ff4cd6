/**
 * Reads an import file as a stream, CSV (csv-parse) or NDJSON (one JSON object per line), and
 * checks each record with the pure rules in src/domain/import-formats.ts. Valid rows come out in
 * chunks, so a file of millions of rows never sits in memory; problems are collected, each with
 * its line and field, up to a cap (the count goes on).
 */
import { createInterface } from 'node:readline';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import { byteCount, MAX_LINE_BYTES } from '../domain/import-bounds.ts';
import {
  checkAdmission,
  checkDiagnosis,
  checkHeader,
  checkPopulation,
  checkVisit,
  type AdmissionRecord,
  type Checked,
  type DiagnosisRecord,
  type ImportKind,
  ReadTally,
  type PopulationRecord,
  type RowError,
  type VisitRecord,
} from '../domain/import-formats.ts';
import { checkSurvey, type SurveyRecord } from '../domain/survey-format.ts';
import { scanVisitLines, visitFile, type VisitLookup, type VisitSink } from '../domain/visit-bytes.ts';
import {
  nothingImported,
  type AfterAdmissions,
  type AfterPopulation,
  type ImportMeta,
  type ImportMode,
  type ImportResult,
  type ImportStore,
} from '../store/import-store.ts';
import type { VisitScan } from '../store/visit-load.ts';
import { boundedInput, InputRefused } from './import-input.ts';

export const importFormats = ['csv', 'ndjson'] as const;
export type ImportFormat = (typeof importFormats)[number];

type RowOf<K extends ImportKind> = K extends 'visits'
  ? VisitRecord
  : K extends 'population'
    ? PopulationRecord
    : K extends 'surveys'
      ? SurveyRecord
      : K extends 'diagnoses'
        ? DiagnosisRecord
        : AdmissionRecord;

const checkers = {
  visits: checkVisit,
  population: checkPopulation,
  admissions: checkAdmission,
  surveys: checkSurvey,
  diagnoses: checkDiagnosis,
};

const CHUNK = 2000;

/** The valid rows of `input` in chunks; problems go to `tally`. */
export function readRows<K extends ImportKind>(
  input: Readable,
  kind: K,
  format: ImportFormat,
  now: Date,
  tally: ReadTally,
): AsyncGenerator<RowOf<K>[]> {
  return checkRecords(
    format === 'csv' ? csvRecords(input, kind, tally) : ndjsonRecords(input),
    kind,
    now,
    tally,
  );
}

/** The valid rows of read records in chunks; problems go to `tally`. */
async function* checkRecords<K extends ImportKind>(
  batches: AsyncIterable<RawRecord[]>,
  kind: K,
  now: Date,
  tally: ReadTally,
): AsyncGenerator<RowOf<K>[]> {
  const check = checkers[kind] as (
    record: Record<string, unknown>,
    line: number,
    now: Date,
    checkFields: boolean,
  ) => Checked<RowOf<K>>;
  let chunk: RowOf<K>[] = [];
  const take = (record: Record<string, unknown>, line: number, checkFields: boolean): void => {
    tally.rowsRead += 1;
    const checked = check(record, line, now, checkFields);
    if (checked.ok) chunk.push(checked.row);
    else tally.add(...checked.errors);
  };
  // Records come in batches: an await per record cost more than checking it.
  for await (const batch of batches) {
    for (const raw of batch) {
      if ('problem' in raw) {
        // In line order with the rows' own errors: the list keeps the first ones.
        tally.rowsRead += 1;
        tally.add(raw.problem);
        continue;
      }
      take(raw.record, raw.line, raw.checkFields);
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
  refuseEmpty(tally);
}

/**
 * A file without a single row is refused, not imported as nothing: an export that came out empty
 * is far more often a mistake than a month without visits, and a successful import of 0 rows
 * would look like one that worked (docs/imports.md, "Rules").
 */
function refuseEmpty(tally: ReadTally): void {
  if (tally.rowsRead > 0 || tally.errorCount > 0) return;
  tally.add({ line: 1, field: null, message: 'Filen har inga rader att importera.' });
  tally.isUnreadable = true;
}

/** A record to check, or a line that could not be read as one. */
type RawRecord =
  { record: Record<string, unknown>; line: number; checkFields: boolean } | { problem: RowError };

/**
 * The first line decides the delimiter: comma, semicolon (Swedish spreadsheets) or tab. One
 * delimiter parses twice as fast as a list of candidates.
 */
async function withDelimiter(input: Readable): Promise<{ delimiter: string; stream: Readable }> {
  const { head, input: stream } = await readAhead(
    input,
    (size, chunk) => size >= 1 << 16 || chunk.includes(10),
  );
  const first = Buffer.concat(head).toString('utf8').split('\n')[0] ?? '';
  const count = (d: string): number => first.split(d).length;
  const delimiter = [';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
  return { delimiter, stream };
}

/**
 * Reads the first chunks of `input` until `enough` says so (or the input ends), and gives them
 * with the input to read again from the start.
 */
async function readAhead(
  input: Readable,
  enough: (size: number, chunk: Buffer) => boolean,
): Promise<{ head: Buffer[]; ended: boolean; input: Readable }> {
  const source = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  for (;;) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    head.push(chunk);
    size += chunk.length;
    if (enough(size, chunk)) break;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let next = await source.next(); !next.done; next = await source.next())
      yield Buffer.from(next.value);
  }
  return { head, ended, input: Readable.from(replay(), { objectMode: false }) };
}

/** Line breaks in a field: \r\n, \n or a lone \r each count once. */
function lineBreaks(field: string): number {
  return (field.match(/\r\n|\n|\r/g) ?? []).length;
}

/**
 * The records of a CSV file, in batches. Lines without a quote character are split on the
 * delimiter here (csv-parse gives the same fields for them, at a fifth of the cost). From the
 * first line with a quote on, the rest of the file goes through csv-parse, fed first the line
 * breaks of what was already read (so that it finds the same record delimiter and counts the
 * same lines in its error messages); the records those make are skipped.
 */
async function* csvFieldBatches(
  input: Readable,
  delimiter: string,
  start?: CsvStart,
): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder('utf8');
  const source = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let text = '';
  let ended = false;
  let first = !start;
  // Taking over from another reader: its line break, and its lines before as empty records for
  // csv-parse to count (and skip).
  let recordDelimiter: string | null = start?.recordDelimiter ?? null;
  let breaks = start ? start.recordDelimiter.repeat(start.line - 1) : '';
  let emitted = start ? start.line - 1 : 0;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await source.next();
    if (next.done) {
      ended = true;
      text += decoder.end();
    } else text += typeof next.value === 'string' ? next.value : decoder.write(next.value);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return true;
  };
  const drain = async (): Promise<void> => {
    try {
      while (!(await source.next()).done);
    } catch {
      // Nothing more to read.
    }
    ended = true;
  };
  async function* csvParseRest(head: string, skipRecords: number): AsyncGenerator<string[][]> {
    async function* rest(): AsyncGenerator<string> {
      yield head;
      while (!ended) {
        const next = await source.next();
        if (next.done) {
          ended = true;
          const tail = decoder.end();
          if (tail) yield tail;
        } else yield typeof next.value === 'string' ? next.value : decoder.write(next.value);
      }
    }
    // pipeline, not pipe: a failure of the input (a bound broken) must reach the parser's reader.
    const parser = pipeline(
      Readable.from(rest(), { objectMode: false }),
      parse({
        skip_empty_lines: false,
        relax_column_count: true,
        delimiter,
        columns: false,
        max_record_size: MAX_LINE_BYTES,
      }),
      () => {},
    );
    let skip = skipRecords;
    let batch: string[][] = [];
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (skip > 0) skip -= 1;
        else batch.push(record);
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
    } finally {
      // The records before a failure first: the caller counts their lines to place it.
      if (batch.length > 0) yield batch;
    }
  }
  try {
    for (;;) {
      if (recordDelimiter === null) {
        // The first line break decides, as in csv-parse: \r\n, else \n, else \r.
        const at = text.search(/[\r\n]/);
        if (at >= 0 && (text[at] === '\n' || at + 1 < text.length || ended))
          recordDelimiter = text[at] === '\n' ? '\n' : text[at + 1] === '\n' ? '\r\n' : '\r';
        else if (text.includes('"')) break;
        else if (await more()) continue;
        else {
          if (text.length > 0) yield [text.split(delimiter)];
          return;
        }
      }
      const d = recordDelimiter;
      const end = text.lastIndexOf(d);
      if (end < 0 && !ended) {
        await more();
        continue;
      }
      const complete = ended ? text : text.slice(0, end + d.length);
      const quote = complete.indexOf('"');
      const cut = quote < 0 ? -1 : complete.lastIndexOf(d, quote);
      const usable = quote < 0 ? complete : cut < 0 ? '' : complete.slice(0, cut + d.length);
      // Every line ends with the delimiter, so the last piece is what follows the last one: at
      // the end of the file a record of its own unless it is empty.
      const lines = usable.split(d);
      const last = lines.pop()!;
      const batch = lines.map((line) => line.split(delimiter));
      if (quote < 0 && ended && last !== '') batch.push(last.split(delimiter));
      if (batch.length > 0) {
        emitted += batch.length;
        for (const line of lines)
          breaks += line.includes('\n') || line.includes('\r') ? line.replace(/[^\r\n]/g, '') + d : d;
        yield batch;
      }
      text = text.slice(usable.length);
      if (quote >= 0) break;
      if (ended) return;
      await more();
    }
    // From the first quote: csv-parse for the rest.
    yield* csvParseRest(breaks + text, emitted);
  } finally {
    // Stopped early (a bad header, a CSV error): the rest of the input is read and dropped.
    if (!ended) void drain();
  }
}

/**
 * A CSV line's fields as a record by the header's names, or the problem of too many or too few
 * fields. A short line is refused even when only optional columns are missing: a field lost in
 * the export would otherwise pass as an empty one.
 */
function rawRecord(fields: string[], header: readonly string[], line: number): RawRecord {
  if (fields.length > header.length)
    return {
      problem: {
        line,
        field: null,
        message: `Raden har ${fields.length} fält men rubrikraden ${header.length}.`,
      },
    };
  if (fields.length < header.length)
    return {
      problem: {
        line,
        field: header[fields.length]!,
        message: `Raden har ${fields.length} fält men rubrikraden ${header.length}: ${header.slice(fields.length).join(', ')} saknas.`,
      },
    };
  const record: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) record[header[i]!] = fields[i];
  return { record, line, checkFields: false };
}

/** Where a CSV reading starts when another reader has read the header and the lines before. */
interface CsvStart {
  delimiter: string;
  /** The file's line break, as the header's line decided it. */
  recordDelimiter: string;
  header: string[];
  line: number;
}

async function* csvRecords(
  source: Readable,
  kind: ImportKind,
  tally: ReadTally,
  start?: CsvStart,
): AsyncGenerator<RawRecord[]> {
  let header: string[] = start?.header ?? [];
  const { delimiter, stream: input } = start
    ? { delimiter: start.delimiter, stream: source }
    : await withDelimiter(source);
  // Line numbers are counted here: a record starts on the line after the previous one, plus the
  // line breaks inside its quoted fields.
  let next = start?.line ?? 1;
  try {
    for await (const batch of csvFieldBatches(input, delimiter, start)) {
      const out: RawRecord[] = [];
      for (const record of batch) {
        const line = next;
        next += 1;
        for (const field of record)
          if (field.includes('\n') || field.includes('\r')) next += lineBreaks(field);
        if (record.length === 1 && record[0] === '') continue;
        if (header.length === 0) {
          header = record.map((h) => h.trim().toLowerCase());
          const problems = checkHeader(kind, header);
          if (problems.length > 0) {
            tally.add(...problems);
            tally.isUnreadable = true;
            return;
          }
          continue;
        }
        out.push(rawRecord(record, header, line));
      }
      yield out;
    }
    if (header.length === 0) {
      tally.add({ line: 1, field: null, message: 'Filen är tom: rubrikraden saknas.' });
      tally.isUnreadable = true;
    }
  } catch (error) {
    // Anything but csv-parse's own errors (a bound of the input, the body's size) goes on up.
    if (!(error instanceof CsvError)) throw error;
    tally.add(csvProblem(error, next));
    tally.isUnreadable = true;
  }
}

/**
 * csv-parse's error, in Swedish and without the input it quotes. `start` is the line where the
 * record it failed in starts: an unclosed quote opens there, not at the end of the file where
 * csv-parse notices it.
 */
function csvProblem(error: CsvError, start: number): RowError {
  const known = csvProblems[error.code];
  const line = known?.atStart || typeof error.lines !== 'number' ? start : error.lines;
  return { line, field: null, message: known?.message ?? `Filen går inte att läsa som CSV (${error.code}).` };
}

const closingQuote = {
  atStart: false,
  message:
    'Efter ett avslutande citattecken ska fältet ta slut (avgränsare eller radslut). Skriv citattecken inuti ett fält som "".',
};
const csvProblems: Partial<Record<CsvError['code'], { atStart: boolean; message: string }>> = {
  CSV_QUOTE_NOT_CLOSED: { atStart: true, message: 'Ett citattecken på raden stängs aldrig.' },
  CSV_MAX_RECORD_SIZE: {
    atStart: true,
    message: `Raden blir längre än ${byteCount(MAX_LINE_BYTES)} byte: ett citattecken som inte stängs?`,
  },
  CSV_INVALID_CLOSING_QUOTE: closingQuote,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: closingQuote,
  INVALID_OPENING_QUOTE: {
    atStart: false,
    message: 'Ett citattecken mitt i ett fält: citera hela fältet och skriv det som "".',
  },
};

async function* ndjsonRecords(input: Readable): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const record of ndjsonRecordsOneByOne(input)) {
    batch.push(record);
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* ndjsonRecordsOneByOne(input: Readable): AsyncGenerator<RawRecord> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { problem: { line, field: null, message: 'Raden är inte giltig JSON.' } };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { problem: { line, field: null, message: 'Raden ska vara ett JSON-objekt.' } };
      continue;
    }
    yield { record: value as Record<string, unknown>, line, checkFields: true };
  }
}

/**
 * The bulk path's reading of a large visits CSV (src/store/visit-load.ts): plain lines are read as
 * bytes and resolved straight into the sink (src/domain/visit-bytes.ts); every other line is
 * split and checked as above and comes out, with each block of the file, as a checked record.
 * A line with a quote (fields may then span lines) hands the rest of the file to the reader above.
 */
export function csvVisitScan(input: Readable, now: Date, tally: ReadTally): VisitScan {
  return (lookup, sink) => scanCsvVisits(input, now, tally, lookup, sink);
}

async function* scanCsvVisits(
  input: Readable,
  now: Date,
  tally: ReadTally,
  lookup: VisitLookup,
  sink: VisitSink,
): AsyncGenerator<VisitRecord[]> {
  const { delimiter, stream } = await withDelimiter(input);
  const source = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let ended = false;
  const more = async (): Promise<boolean> => {
    const next = await source.next();
    if (next.done) ended = true;
    else buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    return !ended;
  };
  /** The rest of the input from `at`, for the general reader. */
  const rest = (at: number): Readable => {
    const head = buf.subarray(at);
    async function* bytes(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    }
    return Readable.from(bytes(), { objectMode: false });
  };
  const general = (records: AsyncIterable<RawRecord[]>): AsyncGenerator<VisitRecord[]> =>
    checkRecords(records, 'visits', now, tally);

  // The header: the first line, ended by \n or \r\n. Anything else (a quote, a lone \r, a blank
  // first line) goes to the general reader whole. Each byte is searched once: searching the
  // growing line from its start again at every piece made a long line cost its length squared.
  let lineBreak = -1;
  for (let searched = 0; ;) {
    if (lineBreak < 0) {
      const nl = buf.indexOf(10, searched);
      const cr = buf.indexOf(13, searched);
      lineBreak = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
      searched = buf.length;
    }
    if ((lineBreak >= 0 && (buf[lineBreak] === 10 || lineBreak + 1 < buf.length)) || !(await more())) break;
  }
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const crlf = lineBreak >= 0 && buf[lineBreak] === 13 && buf[lineBreak + 1] === 10;
  const headerText = lineBreak < 0 ? '' : buf.toString('utf8', bom, lineBreak);
  if (
    lineBreak < 0 ||
    (buf[lineBreak] === 13 && !crlf) ||
    headerText.trim() === '' ||
    headerText.includes('"')
  ) {
    yield* general(csvRecords(rest(0), 'visits', tally));
    return;
  }
  const header = headerText.split(delimiter).map((h) => h.trim().toLowerCase());
  const problems = checkHeader('visits', header);
  if (problems.length > 0) {
    tally.add(...problems);
    tally.isUnreadable = true;
    for await (const _ of rest(0)); // The rest of the input is read and dropped.
    return;
  }

  const file = visitFile(header, delimiter, crlf, now);
  const counted: VisitSink = {
    add(person, at, staff, unit, profession, type, assessment, soughtDay) {
      tally.rowsRead += 1;
      sink.add(person, at, staff, unit, profession, type, assessment, soughtDay);
    },
  };
  let slow: VisitRecord[] = [];
  const other = (start: number, end: number, line: number): void => {
    tally.rowsRead += 1;
    const raw = rawRecord(buf.toString('utf8', start, end).split(delimiter), header, line);
    if ('problem' in raw) {
      tally.add(raw.problem);
      return;
    }
    const checked = checkVisit(raw.record, line, now, false);
    if (checked.ok) slow.push(checked.row);
    else tally.add(...checked.errors);
  };
  let line = 2;
  let at = lineBreak + (crlf ? 2 : 1);
  for (;;) {
    // Complete lines only, but for the last line of the file.
    const complete = ended ? buf.length : buf.lastIndexOf(10) + 1;
    if (complete > at) {
      const scanned = scanVisitLines(buf, at, complete, line, file, lookup, counted, other);
      line += scanned.lines;
      if (scanned.handOver >= 0) {
        yield slow;
        yield* general(
          csvRecords(rest(scanned.handOver), 'visits', tally, {
            delimiter,
            recordDelimiter: crlf ? '\r\n' : '\n',
            header,
            line,
          }),
        );
        return;
      }
      at = complete;
    }
    yield slow;
    slow = [];
    if (ended) return refuseEmpty(tally);
    buf = buf.subarray(at);
    at = 0;
    await more();
  }
}

export interface ImportRequest {
  kind: ImportKind;
  format: ImportFormat;
  mode: ImportMode;
  /** File name or route, recorded with the import. */
  source: string;
  actorId: string;
  unitId: string | null;
  now: Date;
}

/**
 * Reads, checks and imports one file, streaming; see src/store/import-store.ts. A line longer
 * than the bound (import-input.ts) stops the reading where it is: the transaction rolls back and
 * the answer names that line. `effects.admissions` runs in an admission import's transaction
 * (services/admission-service.ts: the enrolments an admission pauses and a discharge resumes).
 */
export async function runImport(
  store: ImportStore,
  input: Readable,
  request: ImportRequest,
  effects: { admissions?: AfterAdmissions; population?: AfterPopulation } = {},
): Promise<ImportResult> {
  const tally = new ReadTally();
  const started = performance.now();
  const meta = {
    source: request.source,
    format: request.format,
    mode: request.mode,
    actorId: request.actorId,
    unitId: request.unitId,
    startedAt: request.now,
    elapsedMs: () => performance.now() - started,
  };
  try {
    return await importInput(store, boundedInput(input), request, tally, meta, effects);
  } catch (error) {
    if (!(error instanceof InputRefused)) throw error;
    tally.add(error.error);
    return nothingImported(tally);
  }
}

async function importInput(
  store: ImportStore,
  input: Readable,
  request: ImportRequest,
  tally: ReadTally,
  meta: ImportMeta,
  effects: { admissions?: AfterAdmissions; population?: AfterPopulation },
): Promise<ImportResult> {
  if (request.kind === 'admissions')
    return store.importAdmissions(
      readRows(input, 'admissions', request.format, request.now, tally),
      tally,
      meta,
      effects.admissions,
    );
  if (request.kind === 'surveys')
    return store.importSurveys(readRows(input, 'surveys', request.format, request.now, tally), tally, meta);
  if (request.kind === 'diagnoses')
    return store.importDiagnoses(
      readRows(input, 'diagnoses', request.format, request.now, tally),
      tally,
      meta,
    );
  if (request.kind === 'visits' && request.format === 'csv' && store.bulkFrom !== null) {
    const peeked = await peek(input, store.bulkFrom * BYTES_PER_ROW);
    if (peeked.large)
      return store.importVisitsBulk(csvVisitScan(peeked.input, request.now, tally), tally, meta);
    input = peeked.input;
  }
  return request.kind === 'visits'
    ? store.importVisits(readRows(input, 'visits', request.format, request.now, tally), tally, meta)
    : store.importPopulation(
        readRows(input, 'population', request.format, request.now, tally),
        tally,
        meta,
        effects.population,
      );
}

/** Bytes a visits CSV has per row, about: a file of `bulkFrom` rows is read this far to decide. */
const BYTES_PER_ROW = 64;

/** Whether `input` holds more than `limit` bytes, and the input to read from the start. */
async function peek(input: Readable, limit: number): Promise<{ large: boolean; input: Readable }> {
  const ahead = await readAhead(input, (size) => size > limit);
  return { large: !ahead.ended, input: ahead.input };
}
