import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, publicKeyPem, type SealSigner } from '@verdict/domain/audit';
import { NO_STREAM, type EventStore } from '@verdict/event-store';
import { publishSigningKey } from '../publish-key';
import { SealingCursor } from '../sealing-cursor';

export interface TestSigner extends SealSigner {
  readonly publicKeyPem: string;
}

export function testSigner(): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKeyPem(publicKey) };
}

/** Appends `count` small decision-like events, each its own stream (decision-f-<n>), one at a time. */
export async function appendDecisions(store: EventStore, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await store.appendToStream(`decision-f-${n}`, [{ id, type: 'DecisionMade', data: { transactionId: `f-${n}`, amount: n * 1.5, outcome: n % 3 === 0 ? 'decline' : 'approve', nested: { z: 1, a: [n, 'x'] } }, metadata: { correlationId: `c-${n}` } }], {
      expectedRevision: NO_STREAM,
    });
  }
}

/** Publishes the key and seals everything in the store, `perSeal` events a seal. Returns the seals' toPositions. */
export async function sealAll(store: EventStore, signer: TestSigner, perSeal: number): Promise<bigint[]> {
  await publishSigningKey(store, signer);
  const cursor = new SealingCursor(store, signer, { maxEvents: perSeal }, null);
  const { readSeals } = await import('../seal-log');
  const existing = await readSeals(store);
  const last = existing.at(-1);
  if (last?.ok) cursor.resync({ index: Number(last.revision), toPosition: BigInt(last.seal.toPosition), sealHash: last.sealHash, sealedAt: last.seal.sealedAt });
  const ends: bigint[] = [];
  for (;;) {
    await cursor.catchUp();
    const outcome = await cursor.seal(new Date());
    if (outcome.kind !== 'sealed') return ends;
    ends.push(outcome.seal.toPosition);
  }
}
