/**
 * Background-knowledge lab for SIB-200 (train splits only, 5 folds by index_id; dev is never read):
 * can the shipped product model (33 labels, trained on data/topics) help the SIB classifier as a
 * source of prior knowledge? Per fold it compares
 *   cnb       the default complement NB;
 *   bg        a softmax regression on the shipped model's 33 log-probabilities alone;
 *   stack     a softmax regression on [out-of-fold CNB logits (inner 5 folds), shipped log-probs];
 *   stackcnb  the same on the CNB logits alone (a calibration).
 *
 *   SEED=12345 L2=0.001 npx tsx scripts/topics/background-lab.ts
 *
 * Outcome (BENCHMARKS.md, Topics): bg alone 42% (chance 14%), but stacking it LOSES 1.9-2.9 points
 * and the calibration alone is noise (+0.4 / -0.6 / -0.4 over three fold partitions).
 */
import { trainClassifier, scoreVector, DEFAULT_FEATURES, featurizeAll, softmaxInPlace } from '../../libs/topics/classifier';
import { deserializeClassifier } from '../../libs/topics/model-file';
import { extractFeatures } from '../../libs/topics/features';
import { SHIPPED_MODEL_PATH } from '../../libs/topics/shipped';
import { readFileSync } from 'node:fs';
import { FOCUS, LABELS, foldsBySentence, load } from './sib-folds';

const shipped = deserializeClassifier(readFileSync(SHIPPED_MODEL_PATH)).model;
const C = LABELS.length;
function trainSoftmax(X: number[][], y: number[], l2: number, epochs = 300, lr = 0.1) {
  const d = X[0]!.length;
  const mu = new Float64Array(d), sd = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) mu[j]! += x[j]! / X.length;
  for (const x of X) for (let j = 0; j < d; j++) sd[j]! += (x[j]! - mu[j]!) ** 2 / X.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  const norm = (x: number[]) => x.map((v, j) => (v - mu[j]!) / sd[j]!);
  X = X.map(norm);
  const W = Array.from({ length: C }, () => new Float64Array(d + 1));
  for (let e = 0; e < epochs; e++) {
    const G = Array.from({ length: C }, () => new Float64Array(d + 1));
    X.forEach((x, i) => {
      const z = new Float64Array(C);
      for (let c = 0; c < C; c++) { let s = W[c]![d]!; for (let j = 0; j < d; j++) s += W[c]![j]! * x[j]!; z[c] = s; }
      softmaxInPlace(z);
      for (let c = 0; c < C; c++) { const g = z[c]! - (c === y[i] ? 1 : 0); for (let j = 0; j < d; j++) G[c]![j]! += g * x[j]!; G[c]![d]! += g; }
    });
    for (let c = 0; c < C; c++) for (let j = 0; j <= d; j++) W[c]![j]! -= lr * (G[c]![j]! / X.length + (j < d ? l2 * W[c]![j]! : 0));
  }
  return (x0: number[]) => { const x = norm(x0); const z = new Float64Array(C); for (let c = 0; c < C; c++) { let s = W[c]![d]!; for (let j = 0; j < d; j++) s += W[c]![j]! * x[j]!; z[c] = s; } return z; };
}
const argmax = (z: ArrayLike<number>) => { let b = 0; for (let c = 1; c < z.length; c++) if (z[c]! > z[b]!) b = c; return b; };
const seed = Number(process.env.SEED ?? 12345);
const foldOf = foldsBySentence(seed);
const innerOf = foldsBySentence(seed + 1);
const acc: Record<string, number[]> = { cnb: [], bg: [], stack: [] , stackcnb: []};
for (const lang of FOCUS) {
  const rows = load(lang);
  const vecs = featurizeAll(rows.map((r) => r.text), DEFAULT_FEATURES);
  const bg = rows.map((r) => { const s = scoreVector(shipped, extractFeatures(r.text, shipped.features)); softmaxInPlace(s); return [...s].map((p) => Math.log(p + 1e-4)); });
  const n = { cnb: 0, bg: 0, stack: 0, stackcnb: 0 };
  for (let f = 0; f < 5; f++) {
    const tr = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) !== f);
    const te = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) === f);
    // out-of-fold CNB logits on the training side (inner 5 folds)
    const oof = new Map<number, number[]>();
    for (let g = 0; g < 5; g++) {
      const itr = tr.filter((i) => innerOf.get(rows[i]!.id) !== g);
      const ite = tr.filter((i) => innerOf.get(rows[i]!.id) === g);
      const m = trainClassifier(itr.map((i) => ({ label: LABELS[rows[i]!.y]!, text: '' })), {}, itr.map((i) => vecs[i]!));
      for (const i of ite) oof.set(i, [...scoreVector(m, vecs[i]!)]);
    }
    const model = trainClassifier(tr.map((i) => ({ label: LABELS[rows[i]!.y]!, text: '' })), {}, tr.map((i) => vecs[i]!));
    const y = tr.map((i) => rows[i]!.y);
    const bgOnly = trainSoftmax(tr.map((i) => bg[i]!), y, Number(process.env.L2 ?? 1e-3));
    const stack = trainSoftmax(tr.map((i) => [...oof.get(i)!, ...bg[i]!]), y, Number(process.env.L2 ?? 1e-3));
    const stackCnb = trainSoftmax(tr.map((i) => [...oof.get(i)!]), y, Number(process.env.L2 ?? 1e-3));
    for (const i of te) {
      const s = [...scoreVector(model, vecs[i]!)];
      if (argmax(s) === rows[i]!.y) n.cnb++;
      if (argmax(bgOnly(bg[i]!)) === rows[i]!.y) n.bg++;
      if (argmax(stack([...s, ...bg[i]!])) === rows[i]!.y) n.stack++;
      if (argmax(stackCnb(s)) === rows[i]!.y) n.stackcnb++;
    }
  }
  for (const k of Object.keys(n) as (keyof typeof n)[]) acc[k]!.push((100 * n[k]) / rows.length);
  console.log(lang, Object.entries(n).map(([k, v]) => `${k} ${((100 * v) / rows.length).toFixed(1)}`).join(' '));
}
for (const [k, v] of Object.entries(acc)) console.log(k, (v.reduce((a, b) => a + b, 0) / v.length).toFixed(2));
