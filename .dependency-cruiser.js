// Verdict's module boundaries, checked by test/architecture/boundaries.spec.ts (so `npm test` enforces them).
// Paths are relative to the repository root; `@verdict/<lib>` resolves to libs/<lib>/src through tsconfig.json.
const SPEC = '\\.spec\\.ts$';
const BENCH = '\\.bench\\.ts$'; // benchmarks are test tooling, run by hand under Jest
const TESTING = '(^|/)testing/'; // test helpers beside the code they serve

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain is the pure core: node builtins, zod and its own files only (no Nest, no store, no onnxruntime, ' +
        'no other @verdict lib, no app). Its specs may use test libraries (fast-check).',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: [SPEC, TESTING] },
      to: { dependencyTypesNot: ['core'], pathNot: ['^libs/domain/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'libs-not-to-apps',
      comment: 'A lib is used by apps, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'libs-not-to-tools',
      comment: 'Nor does a lib build on the tools (its specs may borrow a measuring helper).',
      severity: 'error',
      from: { path: '^libs/', pathNot: [SPEC, TESTING, BENCH] },
      to: { path: '^tools/' },
    },
    {
      name: 'production-not-to-test-code',
      comment: 'Production code loads neither test/ nor a testing/ folder; specs, testing/ helpers and benchmarks may.',
      severity: 'error',
      from: { path: '^(apps|libs|tools)/', pathNot: [SPEC, BENCH, TESTING] },
      to: { path: ['^test/', TESTING] },
    },
    {
      name: 'no-lib-cycles',
      comment:
        'No cycle runs through two libs. (A cycle between libs made of separate imports is found by the spec, ' +
        'which also checks the lib-level graph.)',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^libs/$1/' } },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves: an unresolved @verdict alias would make the rules above pass vacuously.',
      severity: 'error',
      from: { path: '^(apps|libs|tools)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies of the design even though they vanish from the JavaScript.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
  },
};
