// Jest runs each test file in its own vm context, so `new Float32Array()` in a test is not an instance of the
// Float32Array that onnxruntime-node's native binding checks against ("float32 tensor's data must be type of
// Float32Array"). Sharing the host realm's typed-array and buffer constructors makes them the same objects.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Buffer', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array',
  'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array',
];

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = NodeRealmEnvironment;
