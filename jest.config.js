// One Jest config for the whole monorepo. CommonJS (NestJS 11), ts-jest with isolatedModules for speed;
// `npm run typecheck` does the full type check.
const aliases = ['domain', 'event-store', 'model-runtime', 'read-models', 'simulator', 'training', 'config', 'artifact-store'];
const moduleNameMapper = {};
for (const a of aliases) {
  moduleNameMapper[`^@verdict/${a}$`] = `<rootDir>/libs/${a}/src`;
  moduleNameMapper[`^@verdict/${a}/(.*)$`] = `<rootDir>/libs/${a}/src/$1`;
}
module.exports = {
  rootDir: __dirname,
  // onnxruntime-node checks `instanceof Float32Array` against Node's own realm; see test/support/node-environment.js.
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
  verbose: false,
};
