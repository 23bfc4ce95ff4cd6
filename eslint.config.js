// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/*
 * The layers: api, fhir → services → domain ← store (docs/architecture.md, "The layers").
 * boundaries/dependencies judges every import (values and types) of a file in src/ or web/src/
 * by the folder it comes from and the folder it goes to; no-restricted-syntax keeps SQL text in
 * src/store. Tests are outside both: they build the whole app on a real database.
 */
const layerElements = [
  // Folders from the repository's root (partialMatch: false below): no other 'domain' counts.
  { type: 'domain', pattern: 'src/domain' },
  { type: 'store', pattern: 'src/store' },
  { type: 'services', pattern: 'src/services' },
  { type: 'api', pattern: 'src/api' },
  { type: 'fhir', pattern: 'src/fhir' },
  { type: 'seed', pattern: 'src/seed' },
  { type: 'web', pattern: 'web/src' },
  // The composition root: buildApp (src/app.ts) wires every store, service and route; the
  // server and the CLIs open the database and start it. Last, so it takes what is left of src/.
  { type: 'app', pattern: 'src/cli' },
  { type: 'app', pattern: 'src' },
];
const layerElementsFromRoot = layerElements.map((e) => ({ ...e, partialMatch: false }));
const layer = (...types) => ({ element: { types: { anyOf: types } } });
// The settings read from the environment (src/config.ts): the services and routes take their
// part of them from buildApp; the domain and the stores take none.
const layerFiles = [{ category: 'config', pattern: 'src/config.ts' }];
const layerPolicies = [
  {
    // Pure rules: nothing of another layer, no package and no Node module (no I/O, no clock),
    // except node:crypto for the access log's HMAC chain, a pure function of its input.
    from: layer('domain'),
    disallow: {
      to: [
        layer('store', 'services', 'api', 'fhir', 'seed', 'app', 'web'),
        { module: { origin: ['external', 'core'] } },
      ],
    },
    message:
      'src/domain is pure: it imports only src/domain (and node:crypto), never another layer, a package or a Node module.',
  },
  { from: layer('domain'), allow: { to: { module: { source: 'node:crypto' } } } },
  {
    from: layer('store'),
    disallow: { to: layer('services', 'api', 'fhir', 'seed', 'app', 'web') },
    message: 'src/store reads and writes SQL and imports only src/domain (and src/store).',
  },
  {
    from: layer('services'),
    disallow: { to: layer('api', 'fhir', 'seed', 'app', 'web') },
    message: 'src/services owns a use case: it imports src/domain and src/store, never a route.',
  },
  {
    from: layer('api', 'fhir'),
    disallow: { to: layer('store', 'seed', 'app', 'web') },
    message:
      'Routes (src/api, src/fhir) call services and map the answer: they import src/services and src/domain, never src/store.',
  },
  {
    from: layer('seed'),
    disallow: { to: layer('api', 'fhir', 'app', 'web') },
    message: 'src/seed writes demo data through the stores and services, never through a route.',
  },
  { from: layer('services', 'api', 'fhir'), allow: { to: { file: { categories: 'config' } } } },
  {
    from: layer('web'),
    disallow: { to: layer('store', 'services', 'api', 'fhir', 'seed', 'app') },
    message: 'The staff app (web/) imports from the server only the pure src/domain.',
  },
];
const layerRule = { default: 'allow', checkAllOrigins: true, policies: layerPolicies };

/*
 * A statement in a string: select … from, insert into, update … set, delete from, with … as (,
 * in lower case (as every statement here is written) or upper case, so that a sentence such as
 * "Select a unit from the list" is not taken for one. Outside src/store such a string is SQL out
 * of place (no-restricted-syntax below).
 */
const sqlStatement = String.raw`/^\s*(select\s.*\sfrom\s|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\(|SELECT\s.*\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\()/s`;
const sqlFreeFolders = ['src/api/', 'src/fhir/', 'src/services/'];
const sqlFree = [...sqlFreeFolders.map((folder) => `${folder}**/*.ts`), 'src/app.ts'];
const sqlOutsideStore = [
  {
    selector: `Literal[value=${sqlStatement}]`,
    message:
      'SQL lives in src/store: call a store function (through a service) instead of writing the statement here.',
  },
  {
    selector: `TemplateElement[value.raw=${sqlStatement}]`,
    message:
      'SQL lives in src/store: call a store function (through a service) instead of writing the statement here.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'scratch',
      'data',
      'dist',
      'web/dist',
      'coverage',
      'test-artifacts',
      '**/*.mjs',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The staff web app (web/): the rules of hooks.
  { ...reactHooks.configs.flat.recommended, files: ['web/**/*.{ts,tsx}'] },
  {
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'src/fhir/fhir-test-helpers.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layerElementsFromRoot,
      'boundaries/files': layerFiles,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', layerRule],
    },
  },
  {
    files: sqlFree,
    ignores: ['**/*.test.ts', 'src/fhir/fhir-test-helpers.ts'],
    rules: { 'no-restricted-syntax': ['error', ...sqlOutsideStore] },
  },
  {
    // node:test's describe/it return promises that the runner itself awaits.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
