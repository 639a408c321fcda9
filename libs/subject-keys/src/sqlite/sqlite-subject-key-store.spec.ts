import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSubjectKeyStoreUnavailable } from '../subject-key-store.errors';
import { subjectKeyStoreContract } from '../testing/subject-key-store.contract';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

subjectKeyStoreContract({
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-subject-keys-'));
    const file = path.join(dir, 'events.sqlite');
    const store = await SqliteSubjectKeyStore.open(file);
    return {
      store,
      second: () => SqliteSubjectKeyStore.open(file),
      reopen: async () => {
        await store.close();
        return SqliteSubjectKeyStore.open(file);
      },
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

describe('SqliteSubjectKeyStore', () => {
  it('reports a location it cannot open as unavailable', async () => {
    const error = await SqliteSubjectKeyStore.open('/proc/verdict/no/such/dir/events.sqlite').catch((e: unknown) => e);
    expect(isSubjectKeyStoreUnavailable(error)).toBe(true);
  });
});
