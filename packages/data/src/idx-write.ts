/**
 * Encoder of IDX bytes, the inverse of {@link parseIdx}: used to build the
 * committed Fashion-MNIST subset and to make IDX data in tests (gzipped
 * files: `writeIdx` / `encodeIdxGzip` in @engram/data/node).
 */
import { errors } from '@engram/core';
import { IDX_ELEMENT_BYTES, IDX_TYPE_CODES, type IdxArray, type IdxDtype } from './idx.js';


/**
 * Encodes an {@link IdxArray} as raw IDX bytes (big-endian header and values).
 * Deterministic: the same array gives the same bytes.
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  const code = IDX_TYPE_CODES[dtype as IdxDtype];
  if (code === undefined) throw errors.invalidArgument('array.dtype', Object.keys(IDX_TYPE_CODES).join(' | '), dtype);
  if (shape.length > 255) throw errors.invalidArgument('array.shape', 'at most 255 dimensions', shape.length);
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw errors.invalidArgument('array.shape', 'sizes that are integers in [0, 2^32)', shape);
    }
    count *= d;
  }
  if (count !== data.length) throw errors.shapeMismatch('IDX data', [count], [data.length]);
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * IDX_ELEMENT_BYTES[dtype]);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  switch (array.dtype) {
    case 'uint8':
    case 'int8':
      out.set(new Uint8Array(array.data.buffer, array.data.byteOffset, count), header);
      break;
    case 'int16':
      array.data.forEach((v, i) => view.setInt16(header + 2 * i, v, false));
      break;
    case 'int32':
      array.data.forEach((v, i) => view.setInt32(header + 4 * i, v, false));
      break;
    case 'float32':
      array.data.forEach((v, i) => view.setFloat32(header + 4 * i, v, false));
      break;
    case 'float64':
      array.data.forEach((v, i) => view.setFloat64(header + 8 * i, v, false));
      break;
  }
  return out;
}
