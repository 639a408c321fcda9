import { getVerified, type ArtifactStore } from '@verdict/artifact-store';
import type { ModelVersionRegisteredV1 } from '@verdict/domain';
import { RawInferenceSession } from '@verdict/model-runtime';

const MAX_OPEN = 8;

interface Entry {
  readonly session: Promise<RawInferenceSession>;
  leases: number;
  evicted: boolean;
}

/**
 * Raw-inference sessions by served sha256, loaded on first use from the artifact store (re-hashed first), at most
 * MAX_OPEN open; the least recently used is closed once no request holds it.
 */
export class RawSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly artifacts: ArtifactStore) {}

  /** Runs `use` on the version's session; the session stays open until it returns. */
  async with<T>(registered: ModelVersionRegisteredV1, use: (session: RawInferenceSession) => Promise<T>): Promise<T> {
    const key = registered.servedSha256;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-insert: Map order is the recency order
    } else {
      entry = { session: this.load(key), leases: 0, evicted: false };
      entry.session.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    this.entries.set(key, entry);
    this.evict();
    entry.leases++;
    try {
      return await use(await entry.session);
    } finally {
      entry.leases--;
      if (entry.evicted && entry.leases === 0) void this.close(entry);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.close(e)));
  }

  private async load(sha256: string): Promise<RawInferenceSession> {
    return RawInferenceSession.load(await getVerified(this.artifacts, sha256), `artifact:${sha256}`);
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_OPEN) return;
      this.entries.delete(key);
      entry.evicted = true;
      if (entry.leases === 0) void this.close(entry);
    }
  }

  private async close(entry: Entry): Promise<void> {
    try {
      await (await entry.session).close();
    } catch {
      // A session that failed to load has nothing to close.
    }
  }
}
