import path from 'node:path';
import { cruise, libCycles, ruleViolations, type CruiseResult } from './dependency-cruise';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'boundaries');

describe('module boundaries (.dependency-cruiser.js)', () => {
  let repository: CruiseResult;
  beforeAll(() => {
    repository = cruise(ROOT, ['apps', 'libs', 'tools']);
  });

  it('apps, libs and tools break none of the rules', () => {
    expect(repository.summary.totalCruised).toBeGreaterThan(100);
    expect([...ruleViolations(repository), ...libCycles(repository)]).toEqual([]);
  });

  it('resolves the @verdict aliases to libs/<lib>/src, so the lib rules see those imports', () => {
    const aliased = repository.modules.flatMap((m) => m.dependencies.filter((d) => d.module.startsWith('@verdict/')));
    expect(aliased.length).toBeGreaterThan(20);
    expect(aliased.filter((d) => d.couldNotResolve || !/^libs\/[^/]+\/src\//.test(d.resolved))).toEqual([]);
  });

  it('reports every deliberate violation of the fixture, and nothing it is allowed to do', () => {
    const fixture = cruise(FIXTURE, ['apps', 'libs', 'tools', 'test']);
    expect(ruleViolations(fixture)).toEqual([
      'domain-is-pure: libs/domain/src/index.ts → @nestjs/common',
      'domain-is-pure: libs/domain/src/index.ts → libs/event-store/src/index.ts',
      'libs-not-to-apps: libs/read-models/src/leak.ts → apps/engine/src/main.ts',
      'libs-not-to-tools: libs/read-models/src/leak.ts → tools/cli/tool.ts',
      'no-lib-cycles: libs/event-store/src/index.ts → libs/read-models/src/index.ts',
      'production-not-to-test-code: apps/engine/src/main.ts → libs/read-models/src/testing/fixture.ts',
      'production-not-to-test-code: apps/engine/src/main.ts → test/support/helper.ts',
      'resolvable: apps/engine/src/main.ts → @verdict/missing',
    ]);
    expect(libCycles(fixture)).toEqual([
      'lib cycle: alpha → beta → alpha',
      'lib cycle: event-store → read-models → event-store',
    ]);
  });
});
