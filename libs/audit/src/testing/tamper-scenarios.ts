import { readSeals } from '../seal-log';
import { verifyEventStore } from '../verify-store';
import type { EventStore } from '@verdict/event-store';
import { appendDecisions, sealAll, testSigner, type TestSigner } from './sealed-fixture';

/** Direct writes to the database behind a store, as someone with database access (not the API) would make them. */
export interface Tamperer {
  /** Changes the `amount` of the event's data. */
  updateData(position: bigint): Promise<void>;
  deleteEvent(position: bigint): Promise<void>;
  insertForged(position: bigint, streamId: string): Promise<void>;
  swapPositions(a: bigint, b: bigint): Promise<void>;
  /** Moves the next position forward (as EventStoreDB's positions jump), so that a sealed range has free positions. */
  skipPositions(count: number): Promise<void>;
  /** Sets a field of an `audit-seals` event's data to a JSON value. */
  setSealField(revision: bigint, field: string, json: string): Promise<void>;
  deleteSeal(revision: bigint): Promise<void>;
}

export interface TamperTarget {
  readonly store: EventStore;
  readonly tamper: Tamperer;
  close(): Promise<void>;
}

/**
 * The tamper scenarios every store adapter must pass: 14 decisions in seals of 5 (the key and seal events are in the
 * log too and are sealed by the next seal), with free positions inside the second seal's range. Each scenario gets a
 * fresh store from `open`.
 */
export function tamperScenarios(open: () => Promise<TamperTarget>): void {
  let target: TamperTarget;
  let signer: TestSigner;
  let ends: bigint[];
  const gapStart = 8;

  beforeEach(async () => {
    target = await open();
    signer = testSigner();
    await appendDecisions(target.store, 1, 7);
    await target.tamper.skipPositions(3);
    await appendDecisions(target.store, 8, 7);
    ends = await sealAll(target.store, signer, 5);
    await appendDecisions(target.store, 15, 1); // sealed by the next seal
    ends.push(...(await sealAll(target.store, signer, 5)));
  });
  afterEach(async () => {
    await target.close();
  });

  const verify = () => verifyEventStore(target.store);
  const positionOf = async (streamId: string): Promise<bigint> => (await target.store.readStream(streamId))[0].position;

  // The last seal event is the one event no seal covers yet.
  it('verifies an untouched store clean', async () => {
    const report = await verify();
    expect(report).toMatchObject({ clean: true, findings: [], seals: ends.length, unsealedEvents: 1, trust: 'audit-keys', keys: [signer.keyId] });
    expect(report.eventsChecked).toBeGreaterThanOrEqual(16);
    expect(report.sealedThrough).toBe(ends.at(-1)!.toString());
  });

  it('names the position and stream of an UPDATE of one event’s data', async () => {
    const position = await positionOf('decision-f-4');
    await target.tamper.updateData(position);
    const report = await verify();
    expect(report.clean).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'altered', position: position.toString(), stream: 'decision-f-4', revision: '0' })]);
  });

  it('names the position and stream of a DELETE of one event', async () => {
    const position = await positionOf('decision-f-9');
    await target.tamper.deleteEvent(position);
    const report = await verify();
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'missing', position: position.toString(), stream: 'decision-f-9' })]);
  });

  it('names the position and stream of an INSERT of a forged event into a sealed range', async () => {
    const free = (await positionOf(`decision-f-${gapStart}`)) - 2n; // one of the skipped positions
    await target.tamper.insertForged(free, 'decision-forged-1');
    const report = await verify();
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'extra', position: free.toString(), stream: 'decision-forged-1' })]);
  });

  it('names both positions of two swapped events', async () => {
    const a = await positionOf('decision-f-2');
    const b = await positionOf('decision-f-3');
    await target.tamper.swapPositions(a, b);
    const report = await verify();
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'reordered', position: a.toString(), stream: 'decision-f-3', sealedPosition: b.toString() }),
      expect.objectContaining({ kind: 'reordered', position: b.toString(), stream: 'decision-f-2', sealedPosition: a.toString() }),
    ]);
  });

  it('reports a bad signature when a seal is edited, and a broken chain when a seal is deleted', async () => {
    const seals = await readSeals(target.store);
    expect(seals.length).toBeGreaterThanOrEqual(3);
    await target.tamper.setSealField(1n, 'sealedAt', '"2020-01-01T00:00:00.000Z"');
    const edited = await verify();
    expect(edited.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'bad-signature', seal: 1 }),
        expect.objectContaining({ kind: 'chain-broken', seal: 2 }), // seal 2 chains to the seal as signed
        expect.objectContaining({ kind: 'altered', stream: 'audit-seals', revision: '1', position: seals[1].position.toString() }),
      ]),
    );

    await target.tamper.deleteSeal(1n);
    const deleted = await verify();
    expect(deleted.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'chain-broken', seal: 2 }),
        expect.objectContaining({ kind: 'missing', stream: 'audit-seals', revision: '1' }),
      ]),
    );
  });

  it('trusts only the keys given as trust anchors, and says so', async () => {
    const other = testSigner();
    const { keyMap } = await import('../seal-log');
    const report = await verifyEventStore(target.store, { trustedKeys: keyMap([other.publicKeyPem]) });
    expect(report.trust).toBe('trusted-keys');
    expect(report.keys).toEqual([other.keyId]);
    expect(report.findings.map((f) => f.kind)).toEqual(Array(ends.length).fill('unknown-key'));
    expect((await verifyEventStore(target.store, { trustedKeys: keyMap([signer.publicKeyPem]) })).clean).toBe(true);
  });
}
