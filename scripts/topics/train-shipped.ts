/**
 * Retrains the shipped topic model from data/topics/*.tsv into models/topics/model.bin.gz.
 * Deterministic: the same corpus gives the same bytes (libs/topics/shipped.spec.ts checks it).
 *
 *   npx tsx scripts/topics/train-shipped.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SHIPPED_CORPUS_DIR, SHIPPED_MODEL_PATH, trainShippedModel } from '../../libs/topics/shipped';

const started = Date.now();
const raw = trainShippedModel(SHIPPED_CORPUS_DIR);
const gzipped = gzipSync(raw, { level: 9 });
mkdirSync(dirname(SHIPPED_MODEL_PATH), { recursive: true });
writeFileSync(SHIPPED_MODEL_PATH, gzipped);
const sha256 = createHash('sha256').update(raw).digest('hex');
console.log(`wrote ${SHIPPED_MODEL_PATH}: ${(gzipped.length / 1024).toFixed(0)} KiB (${(raw.length / 1024).toFixed(0)} KiB raw), sha256 of raw ${sha256}, in ${Date.now() - started} ms`);
