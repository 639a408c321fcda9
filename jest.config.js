// One Jest config for the whole monorepo. CommonJS (NestJS 11), ts-jest with isolatedModules for speed;
// `npm run typecheck` does the full type check.
const aliases = ['domain', 'event-store', 'model-runtime', 'read-models', 'simulator', 'training', 'config', 'artifact-store', 'audit', 'subject-keys'];
const moduleNameMapper = {};
for (const a of aliases) {
  moduleNameMapper[`^@verdict/${a}$`] = `<rootDir>/libs/${a}/src`;
  moduleNameMapper[`^@verdict/${a}/(.*)$`] = `<rootDir>/libs/${a}/src/$1`;
}
// ESM-only packages that CommonJS code loads (Node does so natively with require(esm) and import(); Jest's runtime
// only with --experimental-vm-modules) are compiled to CommonJS for the tests, and so is the CommonJS file that
// import()s one: GraphQL's mercurius import()s quick-lru and requires @fastify/static, which requires
// content-disposition.
const COMPILED_FOR_JEST = ['content-disposition', 'quick-lru', 'mercurius'];
module.exports = {
  rootDir: __dirname,
  // onnxruntime-node checks `instanceof Float32Array` against Node's own realm; see test/support/node-environment.js.
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  // Worker threads started from .ts source take their TypeScript require hook from VERDICT_TS_REGISTER.
  setupFiles: ['<rootDir>/test/support/ts-register-env.js'],
  // Names whatever still holds the process after the run, if anything does.
  globalTeardown: '<rootDir>/test/support/report-lingering-handles.js',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    [`/node_modules/(${COMPILED_FOR_JEST.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${COMPILED_FOR_JEST.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
  // Fixtures hold deliberate violations that the architecture specs check their rules against.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/architecture/fixtures/'],
  testTimeout: 60000,
  verbose: false,
};
