/**
 * Semi-supervised lab: does complement naive Bayes gain from unlabelled texts of the same kind
 * (Nigam et al. 2000, EM with naive Bayes; self-training)? 5-fold CV on SIB-200 train splits (folds by
 * index_id), one language's own file: the labelled side is 4 folds, the unlabelled side is the held-out
 * fold's texts without labels, scored on that fold. Dev and test are never read.
 *
 *   npx tsx scripts/topics/transductive-lab.ts [seed]
 */
import { DEFAULT_TRAIN_OPTIONS } from '../../libs/topics/classifier';
import { extractFeatures, type SparseVector } from '../../libs/topics/features';
import { C, FOCUS, foldsBySentence, load } from './sib-folds';

const seed = Number(process.argv[2] ?? 12345);
const foldOf = foldsBySentence(seed);
const config = DEFAULT_TRAIN_OPTIONS.features;

interface Dense { idx: Int32Array; val: Float32Array }

/** Complement NB over dense feature ids, from (vector, class weights) pairs. */
function train(vectors: Dense[], targets: Float64Array[], dims: number, alphaBase: number, nLabelled: number): Float64Array {
  const counts = new Float64Array(dims * C);
  const featureTotals = new Float64Array(dims);
  const totals = new Float64Array(C);
  let grand = 0;
  vectors.forEach((v, i) => {
    const t = targets[i]!;
    for (let k = 0; k < v.idx.length; k++) {
      const b = v.idx[k]!;
      for (let c = 0; c < C; c++) {
        if (t[c] === 0) continue;
        const value = t[c]! * v.val[k]!;
        counts[b * C + c]! += value;
        featureTotals[b]! += value;
        totals[c]! += value;
        grand += value;
      }
    }
  });
  const alpha = alphaBase * (nLabelled / 1000) ** 0.75;
  let vocabulary = 0;
  for (let b = 0; b < dims; b++) if (featureTotals[b]! > 0) vocabulary++;
  const logDen = new Float64Array(C);
  for (let c = 0; c < C; c++) logDen[c] = Math.log(grand - totals[c]! + alpha * vocabulary);
  const weights = new Float64Array(dims * C);
  for (let b = 0; b < dims; b++) {
    if (!(featureTotals[b]! > 0)) continue;
    let mean = 0;
    for (let c = 0; c < C; c++) {
      const w = logDen[c]! - Math.log(Math.max(0, featureTotals[b]! - counts[b * C + c]!) + alpha);
      weights[b * C + c] = w;
      mean += w;
    }
    mean /= C;
    for (let c = 0; c < C; c++) weights[b * C + c]! -= mean;
  }
  return weights;
}

function scores(weights: Float64Array, v: Dense): Float64Array {
  const s = new Float64Array(C);
  for (let k = 0; k < v.idx.length; k++) {
    const base = v.idx[k]! * C;
    for (let c = 0; c < C; c++) s[c]! += v.val[k]! * weights[base + c]!;
  }
  return s;
}

function softmax(s: Float64Array, temperature: number): Float64Array {
  const out = new Float64Array(C);
  let max = -Infinity;
  for (const x of s) max = Math.max(max, x);
  let sum = 0;
  for (let c = 0; c < C; c++) { out[c] = Math.exp((s[c]! - max) / temperature); sum += out[c]!; }
  for (let c = 0; c < C; c++) out[c]! /= sum;
  return out;
}

const argmax = (s: ArrayLike<number>) => { let b = 0; for (let c = 1; c < s.length; c++) if (s[c]! > s[b]!) b = c; return b; };

interface Variant { name: string; lambda: number; iterations: number; mode: 'hard' | 'soft'; temperature: number; confident?: number }
const variants: Variant[] = [{ name: 'supervised', lambda: 0, iterations: 0, mode: 'hard', temperature: 1 }];
// Hard labels on every unlabelled text change nothing (each text's own pseudo-label only repeats its
// prediction); soft labels near the CNB's scale barely move; what can help is labelling the most
// confident share by score margin, so that their features carry over to the texts left unlabelled.
for (const lambda of [0.3, 0.5, 1]) for (const confident of [0.3, 0.5, 0.8]) variants.push({ name: `hard λ${lambda} it3 top${confident}`, lambda, iterations: 3, mode: 'hard', temperature: 1, confident });
variants.push({ name: 'hard λ0.5 it1 top0.5', lambda: 0.5, iterations: 1, mode: 'hard', temperature: 1, confident: 0.5 });
variants.push({ name: 'soft λ1 T0.1 it3', lambda: 1, iterations: 3, mode: 'soft', temperature: 0.1 });
const results = new Map<string, number[]>();
for (const language of FOCUS) {
  const rows = load(language);
  const sparse: SparseVector[] = rows.map((row) => extractFeatures(row.text, config));
  const dictionary = new Map<number, number>();
  const dense: Dense[] = sparse.map((v) => ({
    idx: Int32Array.from(v.indices, (b) => { let id = dictionary.get(b); if (id === undefined) { id = dictionary.size; dictionary.set(b, id); } return id; }),
    val: v.values,
  }));
  const dims = dictionary.size;
  for (const variant of variants) {
    let correct = 0;
    for (let fold = 0; fold < 5; fold++) {
      const labelled = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) !== fold);
      const unlabelled = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) === fold);
      const classCounts = new Float64Array(C);
      for (const i of labelled) classCounts[rows[i]!.y]! += 1;
      const labelledTargets = labelled.map((i) => { const t = new Float64Array(C); t[rows[i]!.y] = labelled.length / (C * classCounts[rows[i]!.y]!); return t; });
      let weights = train(labelled.map((i) => dense[i]!), labelledTargets, dims, DEFAULT_TRAIN_OPTIONS.nbAlpha, labelled.length);
      for (let it = 0; it < variant.iterations; it++) {
        const predicted = unlabelled.map((i) => scores(weights, dense[i]!));
        let keep = unlabelled.map(() => true);
        if (variant.confident !== undefined) {
          const margins = predicted.map((s) => { const sorted = [...s].sort((a, b) => b - a); return sorted[0]! - sorted[1]!; });
          const cut = [...margins].sort((a, b) => b - a)[Math.floor(margins.length * variant.confident)]!;
          keep = margins.map((m) => m >= cut);
        }
        const targets = predicted.map((s, j) => {
          if (!keep[j]) return new Float64Array(C);
          if (variant.mode === 'hard') { const t = new Float64Array(C); t[argmax(s)] = variant.lambda; return t; }
          return softmax(s, variant.temperature).map((p) => p * variant.lambda);
        });
        weights = train([...labelled.map((i) => dense[i]!), ...unlabelled.map((i) => dense[i]!)], [...labelledTargets, ...targets], dims, DEFAULT_TRAIN_OPTIONS.nbAlpha, labelled.length);
      }
      for (const i of unlabelled) if (argmax(scores(weights, dense[i]!)) === rows[i]!.y) correct++;
    }
    const list = results.get(variant.name) ?? [];
    list.push((100 * correct) / rows.length);
    results.set(variant.name, list);
  }
}
console.log(`seed ${seed}; CV accuracy % per language (${FOCUS.join(' ')}) and mean`);
const base = results.get('supervised')!.reduce((a, b) => a + b) / FOCUS.length;
for (const [name, list] of results) {
  const mean = list.reduce((a, b) => a + b) / list.length;
  console.log(`${name.padEnd(26)} ${list.map((x) => x.toFixed(1)).join(' ')}  mean ${mean.toFixed(2)}  Δ ${(mean - base).toFixed(2)}`);
}
