import { readFileSync } from 'node:fs';
import path from 'node:path';
import { productionFiles } from './production-files';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'test-support-leak');
const TEST_SUPPORT = /test[\\/]+support/;

/** Production files under `roots` whose text mentions test/support (an import, a path, even a comment). */
function referencingTestSupport(base: string, roots: readonly string[]): string[] {
  return productionFiles(base, roots).filter((file) => TEST_SUPPORT.test(readFileSync(path.join(base, file), 'utf8')));
}

describe('production code does not load test/support', () => {
  it('no file under apps/, libs/ or tools/ (specs and testing/ folders aside) references test/support', () => {
    expect(referencingTestSupport(ROOT, ['apps', 'libs', 'tools'])).toEqual([]);
  });

  it('the check finds a reference, and leaves specs and testing/ folders alone (fixture)', () => {
    expect(referencingTestSupport(FIXTURE, ['libs'])).toEqual(['libs/leaky/src/worker-client.ts']);
  });
});
