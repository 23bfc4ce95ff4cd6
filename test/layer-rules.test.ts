import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint } from 'eslint';

// The layer rule (boundaries/dependencies) and the SQL rule (no-restricted-syntax) in
// eslint.config.js, run on files written into the real folders, as `npm run lint` would see them.
const root = join(import.meta.dirname, '..');
const stem = `zz-layer-probe-${process.pid}`;

const probes = {
  routeImportingStore: {
    path: `src/api/${stem}-store.ts`,
    code: `import type { Db } from '../store/db.ts';\n\nexport const probe = (db: Db): Db => db;\n`,
  },
  routeWithSql: {
    path: `src/api/${stem}-sql.ts`,
    code: [
      "import type { FastifyInstance } from 'fastify';",
      '',
      'export function probeRoutes(app: FastifyInstance): void {',
      "  app.get('/probe', async () => 'select id from patient where identifier = $1');",
      '  app.get(\'/probe-too\', async () => `delete from consent\\n where id = ${"$"}1`);',
      '}',
      '',
    ].join('\n'),
  },
  routeKeepingTheRules: {
    path: `src/api/${stem}-fine.ts`,
    code: [
      "import { DomainError } from '../domain/errors.ts';",
      "import type { AccessService } from '../services/access-service.ts';",
      '',
      "export const probe = (access: AccessService): unknown[] => [access, DomainError, 'Select a unit from the list'];",
      '',
    ].join('\n'),
  },
  domainImportingNode: {
    path: `src/domain/${stem}.ts`,
    code: `import { readFileSync } from 'node:fs';\n\nexport const probe = (): typeof readFileSync => readFileSync;\n`,
  },
  storeImportingService: {
    path: `src/store/${stem}.ts`,
    code: `import type { AccessService } from '../services/access-service.ts';\n\nexport type Probe = AccessService;\n`,
  },
};

type Probe = keyof typeof probes;
const messages = new Map<Probe, ESLint.LintResult['messages']>();

describe('the lint rules keep the layers', { timeout: 240_000 }, () => {
  before(async () => {
    for (const probe of Object.values(probes)) writeFileSync(join(root, probe.path), probe.code);
    const results = await new ESLint({ cwd: root }).lintFiles(Object.values(probes).map((p) => p.path));
    for (const [name, probe] of Object.entries(probes) as [Probe, (typeof probes)[Probe]][]) {
      const result = results.find((r) => r.filePath === join(root, probe.path));
      assert.ok(result, `no lint result for ${probe.path}`);
      messages.set(name, result.messages);
    }
  });
  after(() => {
    for (const probe of Object.values(probes)) rmSync(join(root, probe.path), { force: true });
  });

  const errorsOf = (probe: Probe, ruleId: string) =>
    (messages.get(probe) ?? []).filter((m) => m.ruleId === ruleId && m.severity === 2);

  it('fails a route that imports a store, even for a type', () => {
    const errors = errorsOf('routeImportingStore', 'boundaries/dependencies');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /never src\/store/);
  });

  it('fails SQL text in a route, in a string and in a template literal', () => {
    const errors = errorsOf('routeWithSql', 'no-restricted-syntax');
    assert.deepEqual(
      errors.map((e) => e.line),
      [4, 5],
    );
    assert.match(errors[0]!.message, /SQL lives in src\/store/);
  });

  it('passes a route that imports a service and the domain and says "Select … from" in prose', () => {
    assert.deepEqual(
      (messages.get('routeKeepingTheRules') ?? []).filter((m) => m.severity === 2),
      [],
    );
  });

  it('fails a domain module that imports a Node module', () => {
    assert.equal(errorsOf('domainImportingNode', 'boundaries/dependencies').length, 1);
  });

  it('fails a store that imports a service', () => {
    assert.equal(errorsOf('storeImportingService', 'boundaries/dependencies').length, 1);
  });
});
