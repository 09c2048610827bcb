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
 * A grouped classifier (libs/topics/grouped.ts) has its own layout:
 *
 *   bytes 0-3   "PLTG"                      magic
 *   byte  4     1                           format version
 *   u32 LE      header length, then UTF-8 JSON: {labels, features, nbAlpha, groups, neighbourhoods,
 *               classTotals, rows, entries, metadata}
 *   varints                                 hash bucket of each row, delta-encoded (ascending)
 *   varints                                 number of entries (groups) of each row
 *   varints                                 group of each entry
 *   f32 LE × entries × labels               class-balanced counts
 *
 * Serialisation is deterministic (no timestamps; JSON keys in a fixed order), so the same corpus and
 * options give the same bytes: the shipped model's test retrains and compares.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LinearClassifier } from './classifier';
import type { FeatureConfig } from './features';
import { groupedClassifier, isGroupedClassifier, type GroupedClassifier, type TopicClassifier } from './grouped';

const MAGIC = 'PLTM';
const GROUPED_MAGIC = 'PLTG';
const FORMAT_VERSION = 1;

export class ModelFormatError extends Error {}

interface ModelHeader {
  labels: string[];
  features: FeatureConfig;
  bias: number[];
  rows: number;
  metadata: Record<string, string | number>;
}

/** The feature settings in a fixed key order; prefix settings only when used, so older models keep their bytes. */
function featureHeader(features: FeatureConfig): FeatureConfig {
  return {
    hashBits: features.hashBits,
    charMin: features.charMin,
    charMax: features.charMax,
    wordNgrams: features.wordNgrams,
    wordWeight: features.wordWeight,
    ...(features.prefixLength ? { prefixLength: features.prefixLength, prefixWeight: features.prefixWeight ?? 0 } : {}),
  };
}

function pushVarint(bytes: number[], value: number): void {
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
}

/** The ascending buckets that have a row, as delta varints. */
function bucketVarints(rowOf: Int32Array): number[] {
  const bytes: number[] = [];
  let previous = 0;
  for (let bucket = 0; bucket < rowOf.length; bucket++) {
    if (rowOf[bucket]! < 0) continue;
    pushVarint(bytes, bucket - previous);
    previous = bucket;
  }
  return bytes;
}

function filePrefix(magic: string, headerBytes: Buffer): Buffer {
  const prefix = Buffer.alloc(9);
  prefix.write(magic, 0, 'ascii');
  prefix.writeUInt8(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(headerBytes.length, 5);
  return prefix;
}

class Reader {
  constructor(
    readonly buffer: Buffer,
    public offset: number,
  ) {}

  varint(): number {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      if (this.offset >= this.buffer.length) throw new ModelFormatError('truncated or corrupt topic model');
      byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  }

  /** Reads `rows` delta-encoded buckets into a bucket → row table. */
  rowTable(hashBits: number, rows: number): Int32Array {
    const rowOf = new Int32Array(1 << hashBits).fill(-1);
    let bucket = 0;
    for (let row = 0; row < rows; row++) {
      bucket += this.varint();
      if (bucket >= rowOf.length) throw new ModelFormatError('truncated or corrupt topic model');
      rowOf[bucket] = row;
    }
    return rowOf;
  }
}

function readHeader<T>(buffer: Buffer): { header: T; reader: Reader; magic: string } {
  if (buffer.length < 9) throw new ModelFormatError('not a topic model file');
  const magic = buffer.toString('ascii', 0, 4);
  if (magic !== MAGIC && magic !== GROUPED_MAGIC) throw new ModelFormatError('not a topic model file');
  const version = buffer.readUInt8(4);
  if (version !== FORMAT_VERSION) throw new ModelFormatError(`unsupported model format version ${version}`);
  const headerLength = buffer.readUInt32LE(5);
  const header = JSON.parse(buffer.toString('utf8', 9, 9 + headerLength)) as T;
  return { header, reader: new Reader(buffer, 9 + headerLength), magic };
}

export function encodeClassifier(model: LinearClassifier, metadata: Record<string, string | number> = {}): Buffer {
  const classes = model.labels.length;
  const rows = model.rowScale.length;
  const header: ModelHeader = {
    labels: model.labels,
    features: featureHeader(model.features),
    bias: Array.from(model.bias),
    rows,
    metadata,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const bucketBytes = bucketVarints(model.rowOf);
  const prefix = filePrefix(MAGIC, headerBytes);
  const scales = Buffer.alloc(rows * 4);
  for (let row = 0; row < rows; row++) scales.writeFloatLE(model.rowScale[row]!, row * 4);
  const weights = Buffer.from(model.rowWeights.buffer, model.rowWeights.byteOffset, rows * classes);
  return Buffer.concat([prefix, headerBytes, scales, Buffer.from(bucketBytes), weights]);
}

export function decodeClassifier(bytes: Uint8Array): { model: LinearClassifier; metadata: Record<string, string | number> } {
  const decoded = decodeTopicModel(bytes);
  if (isGroupedClassifier(decoded.model)) throw new ModelFormatError('a grouped topic model, not a linear one');
  return { model: decoded.model, metadata: decoded.metadata };
}

function decodeLinear(header: ModelHeader, reader: Reader): LinearClassifier {
  const { buffer } = reader;
  const { rows, labels, features } = header;
  const classes = labels.length;
  if (reader.offset + rows * 4 > buffer.length) throw new ModelFormatError('truncated or corrupt topic model');
  const rowScale = new Float32Array(rows);
  for (let row = 0; row < rows; row++) rowScale[row] = buffer.readFloatLE(reader.offset + row * 4);
  reader.offset += rows * 4;
  const rowOf = reader.rowTable(features.hashBits, rows);
  if (reader.offset + rows * classes !== buffer.length) throw new ModelFormatError('truncated or corrupt topic model');
  const rowWeights = new Int8Array(rows * classes);
  rowWeights.set(new Int8Array(buffer.buffer, buffer.byteOffset + reader.offset, rows * classes));
  return { labels, features, bias: Float32Array.from(header.bias), rowOf, rowScale, rowWeights };
}

interface GroupedHeader {
  labels: string[];
  features: FeatureConfig;
  nbAlpha: number;
  groups: { name: string; examples: number }[];
  neighbourhoods: { group: number; weight: number }[][];
  classTotals: number[];
  rows: number;
  entries: number;
  metadata: Record<string, string | number>;
}

export function encodeGroupedClassifier(model: GroupedClassifier, metadata: Record<string, string | number> = {}): Buffer {
  const rows = model.rowStart.length - 1;
  const entries = model.entryGroup.length;
  const header: GroupedHeader = {
    labels: model.labels,
    features: featureHeader(model.features),
    nbAlpha: model.nbAlpha,
    groups: model.groups.map((group) => ({ name: group.name, examples: group.examples })),
    neighbourhoods: model.neighbourhoods.map((neighbourhood) => neighbourhood.map(({ group, weight }) => ({ group, weight }))),
    classTotals: Array.from(model.classTotals),
    rows,
    entries,
    metadata,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const structure = bucketVarints(model.rowOf);
  for (let row = 0; row < rows; row++) pushVarint(structure, model.rowStart[row + 1]! - model.rowStart[row]!);
  for (let entry = 0; entry < entries; entry++) pushVarint(structure, model.entryGroup[entry]!);
  const counts = Buffer.alloc(model.entryCounts.length * 4);
  for (let i = 0; i < model.entryCounts.length; i++) counts.writeFloatLE(model.entryCounts[i]!, i * 4);
  return Buffer.concat([filePrefix(GROUPED_MAGIC, headerBytes), headerBytes, Buffer.from(structure), counts]);
}

function decodeGrouped(header: GroupedHeader, reader: Reader): GroupedClassifier {
  const { rows, entries, labels, features } = header;
  const classes = labels.length;
  const rowOf = reader.rowTable(features.hashBits, rows);
  const rowStart = new Int32Array(rows + 1);
  for (let row = 0; row < rows; row++) rowStart[row + 1] = rowStart[row]! + reader.varint();
  if (rowStart[rows] !== entries) throw new ModelFormatError('truncated or corrupt topic model');
  const entryGroup = new Uint16Array(entries);
  for (let entry = 0; entry < entries; entry++) {
    const group = reader.varint();
    if (group >= header.groups.length) throw new ModelFormatError('truncated or corrupt topic model');
    entryGroup[entry] = group;
  }
  if (reader.offset + entries * classes * 4 !== reader.buffer.length) throw new ModelFormatError('truncated or corrupt topic model');
  const entryCounts = new Float32Array(entries * classes);
  for (let i = 0; i < entryCounts.length; i++) entryCounts[i] = reader.buffer.readFloatLE(reader.offset + i * 4);
  return groupedClassifier({
    labels,
    features,
    nbAlpha: header.nbAlpha,
    groups: header.groups,
    neighbourhoods: header.neighbourhoods,
    classTotals: Float64Array.from(header.classTotals),
    rowOf,
    rowStart,
    entryGroup,
    entryCounts,
  });
}

/** Decodes either kind of model file (uncompressed bytes). */
export function decodeTopicModel(bytes: Uint8Array): { model: TopicClassifier; metadata: Record<string, string | number> } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { header, reader, magic } = readHeader<ModelHeader & GroupedHeader>(buffer);
  const model = magic === GROUPED_MAGIC ? decodeGrouped(header, reader) : decodeLinear(header, reader);
  return { model, metadata: header.metadata };
}

export function serializeClassifier(model: LinearClassifier, metadata: Record<string, string | number> = {}): Buffer {
  return gzipSync(encodeClassifier(model, metadata), { level: 9 });
}

export function deserializeClassifier(gzipped: Uint8Array): { model: LinearClassifier; metadata: Record<string, string | number> } {
  return decodeClassifier(gunzipSync(gzipped));
}

/** Either kind of model, gzip-compressed. */
export function serializeTopicModel(model: TopicClassifier, metadata: Record<string, string | number> = {}): Buffer {
  const raw = isGroupedClassifier(model) ? encodeGroupedClassifier(model, metadata) : encodeClassifier(model, metadata);
  return gzipSync(raw, { level: 9 });
}

export function deserializeTopicModel(gzipped: Uint8Array): { model: TopicClassifier; metadata: Record<string, string | number> } {
  return decodeTopicModel(gunzipSync(gzipped));
}
