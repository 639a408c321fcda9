import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isArtifactStoreUnavailable } from '../artifact-store.errors';
import { artifactStoreContract } from '../testing/artifact-store.contract';
import { FilesystemArtifactStore } from './filesystem-artifact-store';

const asFs = (s: unknown): FilesystemArtifactStore => s as FilesystemArtifactStore;

artifactStoreContract({
  name: 'filesystem',
  open: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-artifacts-'));
    return {
      store: new FilesystemArtifactStore(path.join(dir, 'models')),
      second: async () => new FilesystemArtifactStore(path.join(dir, 'models')),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  tamper: async (store, sha256) => writeFileSync(asFs(store).pathOf(sha256), randomBytes(64)),
  remove: async (store, sha256) => unlinkSync(asFs(store).pathOf(sha256)),
});

describe('FilesystemArtifactStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'verdict-artifacts-fs-'))));
  afterEach(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  const files = (root: string): string[] =>
    readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

  it('leaves exactly the final file behind: no temporary file after a put', async () => {
    const store = new FilesystemArtifactStore(dir);
    const { sha256 } = await store.put(randomBytes(100));
    expect(files(dir)).toEqual([store.pathOf(sha256)]);
  });

  it('fails a put it cannot make durable, and leaves nothing under the final name', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: make the parent a file instead, so mkdir fails.
      const blocked = path.join(dir, 'blocked');
      writeFileSync(blocked, 'not a directory');
      const store = new FilesystemArtifactStore(blocked);
      const error = await store.put(randomBytes(10)).catch((e: unknown) => e);
      expect(isArtifactStoreUnavailable(error)).toBe(true);
      expect(files(dir)).toEqual([blocked]);
      return;
    }
    const store = new FilesystemArtifactStore(dir);
    chmodSync(dir, 0o500);
    const error = await store.put(randomBytes(10)).catch((e: unknown) => e);
    expect(isArtifactStoreUnavailable(error)).toBe(true);
    expect(files(dir)).toEqual([]);
  });
});
