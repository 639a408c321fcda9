import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { auditPath, leafHash, merkleRoot, merkleRootOfLeaves, nodeHash, rootFromAuditPath } from './merkle-tree';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Certificate Transparency's reference leaves and tree heads (RFC 6962 test data, as every CT library uses).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_PATHS = [
  { index: 0, size: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, path: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

/** RFC 6962's recursive definition, written out literally, as the reference for the iterative root. */
function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

// Distinct leaves: with two equal leaves, a path for one is rightly a path for the other.
const leafSets = fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 70, selector: (d) => hex(d) }).map((d) => d.map(leafHash));

describe('RFC 6962 Merkle tree', () => {
  it('matches the Certificate Transparency tree heads for sizes 0 to 8', () => {
    for (let n = 0; n <= 8; n++) expect(hex(merkleRoot(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
  });

  it('produces the Certificate Transparency audit paths', () => {
    const leaves = CT_LEAVES.map(leafHash);
    for (const v of CT_PATHS) {
      expect(auditPath(v.index, leaves.slice(0, v.size)).map(hex)).toEqual(v.path);
      expect(hex(rootFromAuditPath(leaves[v.index], v.index, v.size, v.path.map((h) => Buffer.from(h, 'hex')))!)).toBe(CT_ROOTS[v.size]);
    }
  });

  it('builds the same root as the recursive definition, for any number of leaves', () => {
    fc.assert(fc.property(leafSets, (leaves) => hex(merkleRootOfLeaves(leaves)) === hex(referenceRoot(leaves))));
  });

  it("leads every leaf's audit path to the root", () => {
    fc.assert(
      fc.property(leafSets, fc.nat(), (leaves, seed) => {
        const i = seed % leaves.length;
        const root = rootFromAuditPath(leaves[i], i, leaves.length, auditPath(i, leaves));
        return root !== null && root.equals(merkleRootOfLeaves(leaves));
      }),
    );
  });

  // (Not another tree size: at the left edge the same path fits several sizes; the signed count binds the size.)
  it('rejects a path for another leaf or index, and a path with a flipped bit', () => {
    fc.assert(
      fc.property(leafSets.filter((l) => l.length >= 2), fc.nat(), fc.nat(), (leaves, seed, bit) => {
        const i = seed % leaves.length;
        const root = merkleRootOfLeaves(leaves);
        const path = auditPath(i, leaves);
        const other = (i + 1) % leaves.length;
        const reaches = (r: Buffer | null) => r !== null && r.equals(root);
        const flipped = path.map((p) => Buffer.from(p));
        if (flipped.length > 0) flipped[bit % flipped.length][bit % 32] ^= 1 << (bit % 8);
        return (
          !reaches(rootFromAuditPath(leaves[other], i, leaves.length, path)) &&
          !reaches(rootFromAuditPath(leaves[i], other, leaves.length, path)) &&
          (flipped.length === 0 || !reaches(rootFromAuditPath(leaves[i], i, leaves.length, flipped)))
        );
      }),
    );
  });

  it('refuses an index outside the tree', () => {
    expect(() => auditPath(3, CT_LEAVES.slice(0, 3).map(leafHash))).toThrow(RangeError);
    expect(rootFromAuditPath(leafHash(CT_LEAVES[0]), 3, 3, [])).toBeNull();
  });
});
