import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Of } from '../artifact-id';
import { ArtifactAlteredError, ArtifactMissingError, InvalidArtifactError, InvalidArtifactIdError } from '../artifact-store.errors';
import type { ArtifactStore } from '../artifact-store.port';
import { getVerified } from '../get-verified';

/** What each adapter provides to the contract: fresh stores on one location, and ways to damage it behind the store's back. */
export interface ArtifactStoreTarget {
  readonly name: string;
  /** A store on a fresh location; `second()` opens another instance on the same location. */
  open(): Promise<{ store: ArtifactStore; second(): Promise<ArtifactStore>; dispose(): Promise<void> }>;
  /** Overwrites the stored bytes with others (as an attacker or a disk fault would). */
  tamper(store: ArtifactStore, sha256: string): Promise<void>;
  /** Deletes the stored bytes. */
  remove(store: ArtifactStore, sha256: string): Promise<void>;
}

const DEMO_MODEL = path.resolve(__dirname, '../../../../models/fraud-demo/1.0.0/model.onnx');

/** The contract every ArtifactStore adapter passes. */
export function artifactStoreContract(target: ArtifactStoreTarget): void {
  describe(`ArtifactStore contract (${target.name})`, () => {
    let opened: Awaited<ReturnType<ArtifactStoreTarget['open']>>;
    let store: ArtifactStore;
    beforeEach(async () => {
      opened = await target.open();
      store = opened.store;
    });
    afterEach(async () => opened.dispose());

    it('round-trips real ONNX bytes byte for byte under their sha256', async () => {
      const bytes = new Uint8Array(readFileSync(DEMO_MODEL));
      const ref = await store.put(bytes);
      expect(ref).toEqual({ sha256: sha256Of(bytes), sizeBytes: bytes.length });
      expect(await store.has(ref.sha256)).toBe(true);
      const got = await store.get(ref.sha256);
      expect(got).not.toBeNull();
      expect(Buffer.compare(Buffer.from(got!), Buffer.from(bytes))).toBe(0);
      expect(Buffer.from(await getVerified(store, ref.sha256)).equals(Buffer.from(bytes))).toBe(true);
    });

    it('is idempotent, also for concurrent puts of the same bytes, and keeps concurrent different puts apart', async () => {
      const same = randomBytes(4096);
      const refs = await Promise.all(Array.from({ length: 8 }, () => store.put(same)));
      expect(new Set(refs.map((r) => r.sha256)).size).toBe(1);
      expect(await store.put(same)).toEqual(refs[0]);
      const different = Array.from({ length: 8 }, () => randomBytes(1000 + Math.floor(Math.random() * 1000)));
      const stored = await Promise.all(different.map((b) => store.put(b)));
      for (const [i, ref] of stored.entries()) expect(Buffer.from((await store.get(ref.sha256))!).equals(different[i])).toBe(true);
    });

    it('answers null / false for unknown ids and refuses malformed ids and empty bytes before any I/O', async () => {
      const unknown = sha256Of(randomBytes(16));
      expect(await store.get(unknown)).toBeNull();
      expect(await store.has(unknown)).toBe(false);
      for (const bad of ['', 'abc', unknown.toUpperCase(), `${unknown.slice(0, 63)}g`, `../${unknown.slice(3)}`]) {
        await expect(store.get(bad)).rejects.toBeInstanceOf(InvalidArtifactIdError);
      }
      await expect(store.put(new Uint8Array(0))).rejects.toBeInstanceOf(InvalidArtifactError);
    });

    it('lets getVerified detect bytes altered or deleted behind its back', async () => {
      const bytes = randomBytes(2048);
      const { sha256 } = await store.put(bytes);
      await target.tamper(store, sha256);
      const altered = await getVerified(store, sha256).catch((e: unknown) => e);
      expect(altered).toBeInstanceOf(ArtifactAlteredError);
      expect(altered).toMatchObject({ expected: sha256, actual: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect((altered as ArtifactAlteredError).actual).not.toBe(sha256);
      await target.remove(store, sha256);
      await expect(getVerified(store, sha256)).rejects.toBeInstanceOf(ArtifactMissingError);
      expect(await store.has(sha256)).toBe(false);
    });

    it('lets a second instance on the same location read what the first stored', async () => {
      const bytes = randomBytes(512);
      const { sha256 } = await store.put(bytes);
      const second = await opened.second();
      try {
        expect(Buffer.from((await second.get(sha256))!).equals(bytes)).toBe(true);
        await second.ping();
      } finally {
        await second.close();
      }
    });
  });
}
