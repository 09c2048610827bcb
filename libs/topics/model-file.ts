/**
 * The model file: a small binary, gzip-compressed.
 *
 *   bytes 0-3   "PLTM"                      magic
 *   byte  4     1                           format version
 *   u32 LE      header length, then UTF-8 JSON: {labels, features, bias, rows, metadata}
 *   f32 LE × rows                           row scales
 *   varints                                 hash bucket of each row, delta-encoded (ascending)
 *   i8 × rows × labels                      quantised weights
 *
 * Serialisation is deterministic (no timestamps; JSON keys in a fixed order), so the same corpus and
 * options give the same bytes: the shipped model's test retrains and compares.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LinearClassifier } from './classifier';
import type { FeatureConfig } from './features';

const MAGIC = 'PLTM';
const FORMAT_VERSION = 1;

export class ModelFormatError extends Error {}

interface ModelHeader {
  labels: string[];
  features: FeatureConfig;
  bias: number[];
  rows: number;
  metadata: Record<string, string | number>;
}

export function encodeClassifier(model: LinearClassifier, metadata: Record<string, string | number> = {}): Buffer {
  const classes = model.labels.length;
  const rows = model.rowScale.length;
  const header: ModelHeader = {
    labels: model.labels,
    features: {
      hashBits: model.features.hashBits,
      charMin: model.features.charMin,
      charMax: model.features.charMax,
      wordNgrams: model.features.wordNgrams,
      wordWeight: model.features.wordWeight,
      // Written only when used, so models without prefix features keep their exact bytes.
      ...(model.features.prefixLength ? { prefixLength: model.features.prefixLength, prefixWeight: model.features.prefixWeight ?? 0 } : {}),
    },
    bias: Array.from(model.bias),
    rows,
    metadata,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const bucketBytes: number[] = [];
  let previous = 0;
  for (let bucket = 0; bucket < model.rowOf.length; bucket++) {
    if (model.rowOf[bucket]! < 0) continue;
    let delta = bucket - previous;
    previous = bucket;
    while (delta >= 0x80) {
      bucketBytes.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    bucketBytes.push(delta);
  }
  const prefix = Buffer.alloc(9);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt8(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(headerBytes.length, 5);
  const scales = Buffer.alloc(rows * 4);
  for (let row = 0; row < rows; row++) scales.writeFloatLE(model.rowScale[row]!, row * 4);
  const weights = Buffer.from(model.rowWeights.buffer, model.rowWeights.byteOffset, rows * classes);
  return Buffer.concat([prefix, headerBytes, scales, Buffer.from(bucketBytes), weights]);
}

export function decodeClassifier(bytes: Uint8Array): { model: LinearClassifier; metadata: Record<string, string | number> } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 9 || buffer.toString('ascii', 0, 4) !== MAGIC) throw new ModelFormatError('not a topic model file');
  const version = buffer.readUInt8(4);
  if (version !== FORMAT_VERSION) throw new ModelFormatError(`unsupported model format version ${version}`);
  const headerLength = buffer.readUInt32LE(5);
  let offset = 9;
  const header = JSON.parse(buffer.toString('utf8', offset, offset + headerLength)) as ModelHeader;
  offset += headerLength;
  const { rows, labels, features } = header;
  const classes = labels.length;
  const rowScale = new Float32Array(rows);
  for (let row = 0; row < rows; row++) rowScale[row] = buffer.readFloatLE(offset + row * 4);
  offset += rows * 4;
  const rowOf = new Int32Array(1 << features.hashBits).fill(-1);
  let bucket = 0;
  for (let row = 0; row < rows; row++) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buffer[offset++]!;
      delta |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    bucket += delta;
    rowOf[bucket] = row;
  }
  if (offset + rows * classes !== buffer.length) throw new ModelFormatError('truncated or corrupt topic model');
  const rowWeights = new Int8Array(rows * classes);
  rowWeights.set(new Int8Array(buffer.buffer, buffer.byteOffset + offset, rows * classes));
  return {
    model: { labels, features, bias: Float32Array.from(header.bias), rowOf, rowScale, rowWeights },
    metadata: header.metadata,
  };
}

export function serializeClassifier(model: LinearClassifier, metadata: Record<string, string | number> = {}): Buffer {
  return gzipSync(encodeClassifier(model, metadata), { level: 9 });
}

export function deserializeClassifier(gzipped: Uint8Array): { model: LinearClassifier; metadata: Record<string, string | number> } {
  return decodeClassifier(gunzipSync(gzipped));
}
