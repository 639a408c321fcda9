import { onnx } from 'onnx-proto';

/** The same graph with another doc string: other bytes (another sha256), the very same behaviour. */
export function modelVariant(bytes: Uint8Array, docString: string): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  model.docString = docString;
  return onnx.ModelProto.encode(model).finish();
}
