import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 §2.1 (Certificate Transparency): SHA-256, a 0x00 prefix on leaves and 0x01 on interior
 * nodes (so a leaf can never pass for a node), and the split at the largest power of two below n. Audit paths and
 * their verification follow §2.1.1 and RFC 9162 §2.1.3.2, so any CT library checks Verdict's proofs.
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
// One-shot hashing of a reused buffer: verification hashes two of these per event, and a Hash object per call costs
// about as much as the hashing itself.
const scratch = Buffer.alloc(65);
const SHA256_BYTES = 32;

export const EMPTY_TREE_ROOT = createHash('sha256').digest();

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Buffer {
  if (data.length !== SHA256_BYTES) return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
  scratch[0] = 0x00;
  scratch.set(data, 1);
  return hash('sha256', scratch.subarray(0, 1 + SHA256_BYTES), 'buffer');
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== SHA256_BYTES || right.length !== SHA256_BYTES) {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  scratch[0] = 0x01;
  scratch.set(left, 1);
  scratch.set(right, 1 + SHA256_BYTES);
  return hash('sha256', scratch, 'buffer');
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[n]) from the leaf hashes. Bottom-up, pairing neighbours and carrying a level's odd last node up unchanged:
 * that builds exactly RFC 6962's left-heavy tree (the spec checks it against the recursive definition).
 */
export function merkleRootOfLeaves(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return Buffer.from(EMPTY_TREE_ROOT);
  let level: Uint8Array[] = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return Buffer.from(level[0]);
}

/** MTH over the leaf data D[n] (each entry hashed as a leaf first). */
export function merkleRoot(data: readonly Uint8Array[]): Buffer {
  return merkleRootOfLeaves(data.map(leafHash));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]), given the leaf hashes: the sibling subtree hashes from the leaf up to the root. */
export function auditPath(index: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${leafHashes.length}`);
  }
  const path: Buffer[] = [];
  let leaves = leafHashes;
  let m = index;
  // Walks down from the root; each split contributes the other side's root, so the path is built root-first.
  while (leaves.length > 1) {
    const k = splitPoint(leaves.length);
    if (m < k) {
      path.push(merkleRootOfLeaves(leaves.slice(k)));
      leaves = leaves.slice(0, k);
    } else {
      path.push(merkleRootOfLeaves(leaves.slice(0, k)));
      leaves = leaves.slice(k);
      m -= k;
    }
  }
  return path.reverse();
}

/**
 * The root an audit path leads to from a leaf hash (RFC 9162 §2.1.3.2), or null when the path cannot belong to a
 * tree of that size (wrong length). Compare the result with the signed root.
 */
export function rootFromAuditPath(leaf: Uint8Array, index: number, treeSize: number, path: readonly Uint8Array[]): Buffer | null {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}
