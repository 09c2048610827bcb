/**
 * Do two discriminative learners, done carefully, beat complement naive Bayes on SIB-200, alone or
 * interpolated with it? Cross-validation on the TRAIN splits only (dev and test are never read):
 * outer 5 folds by index_id (`sib-folds.ts`), one language's train file at a time, FOCUS languages,
 * fold seeds 12345 / 777 / 2024; every number is paired with the library's CNB (`trainClassifier`
 * defaults + `predictLabel`) on the same folds.
 *
 * Features: the library's own featurizer (`featurizeAll` with DEFAULT_FEATURES: hashed char 2-6-grams
 * + word unigrams + 4-char prefixes, 2^20 buckets), remapped to dense ids per language. Buckets not
 * seen on a model's training side get no weight (the vocabulary is the training side's).
 *
 * 1. NBSVM (Wang & Manning 2012): binarised features x̂ = 1[x > 0]; per class c (one-vs-rest)
 *    r_c = log((p/‖p‖₁) / (q/‖q‖₁)), p = 1 + Σ_{y=c} x̂, q = 1 + Σ_{y≠c} x̂ (alpha = 1); an L2-regularised
 *    squared-hinge linear SVM on x̂∘r_c with a bias feature (liblinear -s 1 -B 1, solved by dual
 *    coordinate descent, Hsieh et al. 2008, eps 0.1); then w' = (1-β)·mean|w| + β·w (mean over the
 *    training vocabulary, bias untouched), β = 0.25; prediction = argmax_c w'_c·(x̂∘r_c) + b_c.
 *    C ∈ {1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.1, 1} (warm-started in that order): chosen per outer fold
 *    by inner 5-fold CV on the outer training side ("nbsvm inner-C"), and every fixed C is reported
 *    too (the honest grid; its best row is an optimistic, post-hoc pick). "svm β=1" = the same SVM
 *    without the interpolation.
 * 2. fastText-style supervised model (Joulin et al. 2016): the averaged embeddings of a text's hashed
 *    features (dim d, init U(-1/d, 1/d); weights = the library's feature values normalised to sum 1,
 *    or uniform over present features = fastText's plain average), a linear softmax layer (init 0, no
 *    bias), SGD one example at a time with the learning rate decaying linearly to 0 over all epochs.
 *    A small fixed grid of (d, epochs, lr) is reported (not tuned by inner CV).
 * Interpolation "+cnb": each model's 7 class scores are standardised per text (mean 0, sd 1 across
 * classes) and score = z(CNB) + λ·z(other); λ ∈ {0, 1/8, 1/4, 1/2, 1, 2, 4, ∞} (0 = CNB alone,
 * ∞ = other alone), for NBSVM jointly with C, chosen by inner 5-fold CV on the outer training side
 * (inner folds foldsBySentence(seed + 99)), never on the outer test fold.
 *
 *   nice npx tsx scripts/topics/discriminative-lab.ts [nbsvm] [fasttext]      (both by default)
 *   SEEDS=12345,777,2024 (default). One core: nbsvm ~2.4 min per seed (7 min for all three, library
 *   CNB fits included); fasttext (the grid below) ~8.5 min per seed.
 *
 * Outcome (2 cores, one run per core): mean accuracy over the 5 FOCUS languages, per fold seed;
 * Δ = paired difference against the library's CNB on the same folds, mean of the three seeds (per seed
 * in brackets); +/− = sentences (all seeds) right only under the method / only under CNB.
 *
 *   method                              12345   777    2024   mean    Δ vs CNB                  +/−
 *   library CNB                         73.61  73.87  73.38  73.62    —
 *   nbsvm β=0.25 inner-C                70.44  70.47  69.61  70.18  −3.44 (−3.17 −3.40 −3.77)   585/947
 *   nbsvm β=0.25 best fixed C (=1)      70.44  70.78  69.56  70.26  −3.36 (post hoc)           571/924
 *   svm β=1 best fixed C (=0.01)        68.76  68.96  68.42  68.71  −4.91                      647/1163
 *   cnb + λ·nbsvm (C, λ inner)          74.49  73.15  73.24  73.63  +0.01 (+0.88 −0.71 −0.14)   290/289
 *   ft d10 e10 lr5                      58.83  59.06  57.83  58.57  −15.05
 *   ft d20 e25 lr2                      59.06  58.26  57.46  58.26  −15.36
 *   ft d20 e25 lr5                      60.29  59.12  58.15  59.19  −14.43
 *   ft d50 e10 lr5                      58.49  57.60  57.09  57.73  −15.89
 *   cnb + λ·ft d10 e10 lr5 (λ inner)    74.18  73.55  73.30  73.68  +0.06 (+0.57 −0.31 −0.09)   129/123
 *   cnb + λ·ft d20 e25 lr2 (λ inner)    73.98  73.78  73.24  73.67  +0.05 (+0.37 −0.09 −0.14)   130/125
 *   cnb + λ·ft d20 e25 lr5 (λ inner)    73.69  73.69  73.12  73.50  −0.12 (+0.09 −0.17 −0.26)   129/141
 *   cnb + λ·ft d50 e10 lr5 (λ inner)    73.78  73.55  73.24  73.52  −0.10 (+0.17 −0.31 −0.14)   132/142
 *   first fastText grid (lr 0.5-1, under-trained, see FT_GRID): alone 29.7-37.3, + cnb 73.18-73.30
 *   (Δ −0.32 … −0.44, every seed negative).
 *
 * NBSVM's C grid alone (β=0.25, mean of seeds): 1e-4 52.8, 3e-4 63.2, 1e-3 67.8, 3e-3 69.5, 0.01 70.1,
 * 0.1 70.3, 1 70.3; without interpolation (β=1) 1.4-1.9 points lower for C ≥ 1e-3. Alone, inner CV
 * picks C ∈ {0.01, 0.1, 1} (0.003 in 5 of 75 outer folds); interpolated, λ is mostly 1/4-1/2 (CNB
 * the larger part) but the (C, λ) choices scatter over 26 combinations in 75 outer folds, C = 1e-4
 * included. fastText's λ choices are 1/8-1/2 (one 1), and λ = 0 (CNB alone) in 12-15 of 75 folds.
 *
 * Verdict: no variant beats CNB. Alone, NBSVM is 3.4 points and the fastText-style model 14-16 points
 * below it on ~560 training sentences. Interpolated with CNB, the best seed-mean gains are +0.01
 * (NBSVM) and +0.06 (fastText), with per-seed Δ from −0.7 to +0.9 and as many sentences lost as won;
 * that is well inside the ±0.4 that re-partitioning the folds alone moves the mean.
 */
import { DEFAULT_FEATURES, argmax, featurizeAll, trainClassifier } from '../../libs/topics/classifier';
import { predictLabel, scoreTopicVector } from '../../libs/topics/topic-model';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';
import { C, FOCUS, LABELS, foldsBySentence, load, type Row } from './sib-folds';

const SEEDS = (process.env.SEEDS ?? '12345,777,2024').split(',').map(Number);
const args = process.argv.slice(2);
const RUN_NBSVM = args.length === 0 || args.includes('nbsvm');
const RUN_FASTTEXT = args.length === 0 || args.includes('fasttext');

const C_GRID = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.1, 1];
const BETA = 0.25;
const LAMBDAS = [0, 0.125, 0.25, 0.5, 1, 2, 4, Infinity];

interface FastTextConfig { name: string; dim: number; epochs: number; rate: number; weights: 'lib' | 'uniform' }
// A first grid with lr 0.25-1 (d10 e10 lr1, d20 e25 lr0.5 lib/uniform, d50 e25 lr0.5) was badly
// under-trained (30-38% alone): averaging ~500 features per text divides each row's step by ~500, so
// the learning rate has to be far above fastText's usual 0.1-1 (eng, d20 e25, scored on outer fold 0
// of seed 12345, so this grid's lr range is slightly optimistic: lr 0.5 → 46%, 2 → 68%, 5 → 70%,
// 10 → 68%, 20 → 60%).
const FT_GRID: FastTextConfig[] = [
  { name: 'ft d10 e10 lr5 lib', dim: 10, epochs: 10, rate: 5, weights: 'lib' },
  { name: 'ft d20 e25 lr2 lib', dim: 20, epochs: 25, rate: 2, weights: 'lib' },
  { name: 'ft d20 e25 lr5 lib', dim: 20, epochs: 25, rate: 5, weights: 'lib' },
  { name: 'ft d50 e10 lr5 lib', dim: 50, epochs: 10, rate: 5, weights: 'lib' },
];

// ---------- data ----------
interface Doc { ids: Int32Array; vals: Float64Array }
interface Lang { rows: Row[]; vecs: ReturnType<typeof featurizeAll>; docs: Doc[]; dims: number }
function prepare(language: string): Lang {
  const rows = load(language);
  const vecs = featurizeAll(rows.map((row) => row.text), DEFAULT_FEATURES);
  const dict = new Map<number, number>();
  const docs = vecs.map((v) => {
    const ids = new Int32Array(v.indices.length);
    const vals = new Float64Array(v.indices.length);
    for (let k = 0; k < v.indices.length; k++) {
      let id = dict.get(v.indices[k]!);
      if (id === undefined) { id = dict.size; dict.set(v.indices[k]!, id); }
      ids[k] = id; vals[k] = v.values[k]!;
    }
    return { ids, vals };
  });
  return { rows, vecs, docs, dims: dict.size };
}

type Scores = Float64Array[]; // per scored doc, C class scores
function standardise(s: Float64Array): Float64Array {
  let mean = 0; for (const v of s) mean += v; mean /= s.length;
  let sd = 0; for (const v of s) sd += (v - mean) ** 2; sd = Math.sqrt(sd / s.length) || 1;
  return s.map((v) => (v - mean) / sd);
}
/** Predicted classes of z(cnb) + λ·z(other) (inputs already standardised). */
function mix(cnb: Scores, other: Scores, lambda: number): number[] {
  return cnb.map((a, i) => {
    if (lambda === 0) return argmax(a);
    if (lambda === Infinity) return argmax(other[i]!);
    const z = new Float64Array(C);
    for (let c = 0; c < C; c++) z[c] = a[c]! + lambda * other[i]![c]!;
    return argmax(z);
  });
}
const hits = (pred: number[], ys: number[]) => pred.reduce((n, p, i) => n + (p === ys[i] ? 1 : 0), 0);

// ---------- CNB (the library, unchanged) ----------
function cnbScores(L: Lang, tr: number[], te: number[]): { scores: Scores; labels: number[] } {
  const model = trainClassifier(tr.map((i) => ({ label: LABELS[L.rows[i]!.y]!, text: L.rows[i]!.text })), {}, tr.map((i) => L.vecs[i]!));
  const order = model.labels.map((label) => LABELS.indexOf(label));
  const scores = te.map((i) => {
    const s = scoreTopicVector(model, L.vecs[i]!);
    const out = new Float64Array(C);
    order.forEach((c, j) => (out[c] = s[j]!));
    return standardise(out);
  });
  const labels = te.map((i) => LABELS.indexOf(predictLabel(model, L.rows[i]!.text)));
  return { scores, labels };
}

// ---------- NBSVM ----------
/** Per C in C_GRID: standardised scores of `te` with β = 0.25, and raw argmax predictions with β = 0.25 and β = 1. */
function nbsvm(L: Lang, tr: number[], te: number[]): { z: Scores[]; pred: number[][]; predSvm: number[][] } {
  const V = L.dims;
  const y = tr.map((i) => L.rows[i]!.y);
  const p = new Float64Array(V * C); // binarised counts per class
  const inVocab = new Uint8Array(V);
  const total = new Float64Array(V);
  tr.forEach((i, n) => { for (const id of L.docs[i]!.ids) { p[id * C + y[n]!]! += 1; total[id]! += 1; inVocab[id] = 1; } });
  let vocab = 0; for (let d = 0; d < V; d++) vocab += inVocab[d]!;
  const z: Scores[] = C_GRID.map(() => te.map(() => new Float64Array(C)));
  const raw: Scores[] = C_GRID.map(() => te.map(() => new Float64Array(C)));
  const rawSvm: Scores[] = C_GRID.map(() => te.map(() => new Float64Array(C)));
  const r = new Float64Array(V);
  const w = new Float64Array(V);
  const order = tr.map((_, n) => n);
  const alpha = new Float64Array(tr.length);
  const qii = new Float64Array(tr.length);
  for (let c = 0; c < C; c++) {
    // log-count ratio over the training vocabulary, alpha = 1
    let pSum = 0, qSum = 0;
    for (let d = 0; d < V; d++) if (inVocab[d]) { pSum += 1 + p[d * C + c]!; qSum += 1 + total[d]! - p[d * C + c]!; }
    for (let d = 0; d < V; d++) r[d] = inVocab[d] ? Math.log((1 + p[d * C + c]!) / pSum) - Math.log((1 + total[d]! - p[d * C + c]!) / qSum) : 0;
    tr.forEach((i, n) => { let s = 1; for (const id of L.docs[i]!.ids) s += r[id]! ** 2; qii[n] = s; });
    const random = createRandom(1 + c);
    alpha.fill(0); w.fill(0);
    let b = 0;
    C_GRID.forEach((Cp, g) => {
      // dual coordinate descent for the L2-loss SVM (Hsieh et al. 2008), warm-started from the previous C
      const diag = 1 / (2 * Cp);
      // (warm start: the alphas stay feasible for any C since U = ∞, and w, b stay consistent with them)
      for (let iter = 0; iter < 1000; iter++) {
        shuffleInPlace(order, random);
        let pgMax = -Infinity, pgMin = Infinity;
        for (const n of order) {
          const ids = L.docs[tr[n]!]!.ids;
          const yn = y[n] === c ? 1 : -1;
          let f = b; for (const id of ids) f += w[id]! * r[id]!;
          const G = yn * f - 1 + diag * alpha[n]!;
          const PG = alpha[n] === 0 ? Math.min(G, 0) : G;
          pgMax = Math.max(pgMax, PG); pgMin = Math.min(pgMin, PG);
          if (Math.abs(PG) > 1e-12) {
            const old = alpha[n]!;
            alpha[n] = Math.max(old - G / (qii[n]! + diag), 0);
            const step = (alpha[n]! - old) * yn;
            for (const id of ids) w[id]! += step * r[id]!;
            b += step;
          }
        }
        if (pgMax - pgMin <= 0.1) break;
      }
      let wBar = 0; for (let d = 0; d < V; d++) if (inVocab[d]) wBar += Math.abs(w[d]!); wBar /= vocab;
      te.forEach((i, t) => {
        let sSvm = b, sMix = b;
        for (const id of L.docs[i]!.ids) { sSvm += w[id]! * r[id]!; sMix += ((1 - BETA) * wBar + BETA * w[id]!) * r[id]!; }
        raw[g]![t]![c] = sMix; rawSvm[g]![t]![c] = sSvm;
      });
    });
  }
  return {
    z: raw.map((s) => s.map(standardise)),
    pred: raw.map((s) => s.map(argmax)),
    predSvm: rawSvm.map((s) => s.map(argmax)),
  };
}

// ---------- fastText-style ----------
function fasttext(L: Lang, tr: number[], te: number[], cfg: FastTextConfig, seed: number): Scores {
  const V = L.dims, d = cfg.dim;
  const inVocab = new Uint8Array(V);
  for (const i of tr) for (const id of L.docs[i]!.ids) inVocab[id] = 1;
  const weightsOf = (doc: Doc): { ids: Int32Array; a: Float64Array } => {
    const keep: number[] = [];
    for (let k = 0; k < doc.ids.length; k++) if (inVocab[doc.ids[k]!]) keep.push(k);
    const ids = Int32Array.from(keep.map((k) => doc.ids[k]!));
    const a = Float64Array.from(keep.map((k) => (cfg.weights === 'lib' ? doc.vals[k]! : 1)));
    let s = 0; for (const v of a) s += v;
    if (s > 0) for (let k = 0; k < a.length; k++) a[k]! /= s;
    return { ids, a };
  };
  const random = createRandom(seed);
  const E = new Float32Array(V * d);
  for (let j = 0; j < E.length; j++) E[j] = (random() * 2 - 1) / d;
  const O = new Float64Array(C * d);
  const h = new Float64Array(d), gh = new Float64Array(d), z = new Float64Array(C);
  const data = tr.map((i) => ({ ...weightsOf(L.docs[i]!), y: L.rows[i]!.y }));
  const hidden = (ids: Int32Array, a: Float64Array) => {
    h.fill(0);
    for (let k = 0; k < ids.length; k++) { const base = ids[k]! * d, ak = a[k]!; for (let j = 0; j < d; j++) h[j]! += ak * E[base + j]!; }
  };
  const logits = () => { for (let c = 0; c < C; c++) { let s = 0; for (let j = 0; j < d; j++) s += O[c * d + j]! * h[j]!; z[c] = s; } };
  const order = data.map((_, n) => n);
  const steps = cfg.epochs * data.length;
  let step = 0;
  for (let e = 0; e < cfg.epochs; e++) {
    shuffleInPlace(order, random);
    for (const n of order) {
      const { ids, a, y } = data[n]!;
      const rate = cfg.rate * (1 - step++ / steps);
      hidden(ids, a); logits();
      let m = -Infinity; for (let c = 0; c < C; c++) m = Math.max(m, z[c]!);
      let s = 0; for (let c = 0; c < C; c++) { z[c] = Math.exp(z[c]! - m); s += z[c]!; }
      gh.fill(0);
      for (let c = 0; c < C; c++) {
        const g = z[c]! / s - (c === y ? 1 : 0);
        for (let j = 0; j < d; j++) { gh[j]! += g * O[c * d + j]!; O[c * d + j]! -= rate * g * h[j]!; }
      }
      for (let k = 0; k < ids.length; k++) { const base = ids[k]! * d, ak = rate * a[k]!; for (let j = 0; j < d; j++) E[base + j]! -= ak * gh[j]!; }
    }
  }
  return te.map((i) => { const { ids, a } = weightsOf(L.docs[i]!); hidden(ids, a); logits(); return standardise(Float64Array.from(z)); });
}

// ---------- nested CV ----------
interface Tally { correct: number; n: number; wins: number; losses: number; chosen: Map<string, number> }
const results = new Map<string, Map<number, Map<string, Tally>>>(); // method → seed → language → tally
function tally(method: string, seed: number, language: string): Tally {
  if (!results.has(method)) results.set(method, new Map());
  const bySeed = results.get(method)!;
  if (!bySeed.has(seed)) bySeed.set(seed, new Map());
  const byLang = bySeed.get(seed)!;
  if (!byLang.has(language)) byLang.set(language, { correct: 0, n: 0, wins: 0, losses: 0, chosen: new Map() });
  return byLang.get(language)!;
}
function record(method: string, seed: number, language: string, pred: number[], base: number[], ys: number[], choice?: string): void {
  const t = tally(method, seed, language);
  pred.forEach((p, i) => {
    const ok = p === ys[i], baseOk = base[i] === ys[i];
    if (ok) t.correct++;
    if (ok && !baseOk) t.wins++;
    if (!ok && baseOk) t.losses++;
    t.n++;
  });
  if (choice !== undefined) t.chosen.set(choice, (t.chosen.get(choice) ?? 0) + 1);
}

const timers = new Map<string, number>();
const timed = <T>(key: string, fn: () => T): T => { const t0 = Date.now(); const out = fn(); timers.set(key, (timers.get(key) ?? 0) + Date.now() - t0); return out; };

for (const seed of SEEDS) {
  const outer = foldsBySentence(seed), inner = foldsBySentence(seed + 99);
  const seedStart = Date.now();
  for (const language of FOCUS) {
    const L = prepare(language);
    const all = L.rows.map((_, i) => i);
    for (let fold = 0; fold < 5; fold++) {
      const tr = all.filter((i) => outer.get(L.rows[i]!.id) !== fold);
      const te = all.filter((i) => outer.get(L.rows[i]!.id) === fold);
      const yTe = te.map((i) => L.rows[i]!.y);
      // inner out-of-fold scores on the outer training side (in the order of `innerOrder`)
      const innerOrder: number[] = [];
      const innerCnb: Scores = [];
      const innerSvm: Scores[] = C_GRID.map(() => []);
      const innerSvmPred: number[][] = C_GRID.map(() => []);
      const innerFt: Scores[] = FT_GRID.map(() => []);
      for (let g = 0; g < 5; g++) {
        const itr = tr.filter((i) => inner.get(L.rows[i]!.id) !== g), ite = tr.filter((i) => inner.get(L.rows[i]!.id) === g);
        innerOrder.push(...ite);
        innerCnb.push(...timed('cnb', () => cnbScores(L, itr, ite)).scores);
        if (RUN_NBSVM) {
          const s = timed('nbsvm', () => nbsvm(L, itr, ite));
          C_GRID.forEach((_, k) => { innerSvm[k]!.push(...s.z[k]!); innerSvmPred[k]!.push(...s.pred[k]!); });
        }
        if (RUN_FASTTEXT) FT_GRID.forEach((cfg, k) => innerFt[k]!.push(...timed(cfg.name, () => fasttext(L, itr, ite, cfg, 1))));
      }
      const yInner = innerOrder.map((i) => L.rows[i]!.y);
      // outer fits
      const base = timed('cnb', () => cnbScores(L, tr, te));
      record('library CNB', seed, language, base.labels, base.labels, yTe);
      if (RUN_NBSVM) {
        const s = timed('nbsvm', () => nbsvm(L, tr, te));
        C_GRID.forEach((Cp, k) => {
          record(`nbsvm β=0.25 C=${Cp}`, seed, language, s.pred[k]!, base.labels, yTe);
          record(`svm β=1 (no interp.) C=${Cp}`, seed, language, s.predSvm[k]!, base.labels, yTe);
        });
        let bestK = 0, best = -1;
        C_GRID.forEach((_, k) => { const a = hits(innerSvmPred[k]!, yInner); if (a > best) { best = a; bestK = k; } });
        record('nbsvm β=0.25 inner-C', seed, language, s.pred[bestK]!, base.labels, yTe, `C=${C_GRID[bestK]}`);
        let bestMix = -1, mixK = 0, mixL = 0;
        for (const lambda of LAMBDAS) C_GRID.forEach((_, k) => {
          const a = hits(mix(innerCnb, innerSvm[k]!, lambda), yInner);
          if (a > bestMix) { bestMix = a; mixK = k; mixL = lambda; }
        });
        record('cnb + λ·nbsvm (C, λ inner)', seed, language, mix(base.scores, s.z[mixK]!, mixL), base.labels, yTe, `C=${C_GRID[mixK]} λ=${mixL}`);
      }
      if (RUN_FASTTEXT) FT_GRID.forEach((cfg, k) => {
        const s = timed(cfg.name, () => fasttext(L, tr, te, cfg, 1));
        record(cfg.name, seed, language, mix(base.scores, s, Infinity), base.labels, yTe);
        let bestMix = -1, mixL = 0;
        for (const lambda of LAMBDAS) { const a = hits(mix(innerCnb, innerFt[k]!, lambda), yInner); if (a > bestMix) { bestMix = a; mixL = lambda; } }
        record(`cnb + λ·(${cfg.name}) (λ inner)`, seed, language, mix(base.scores, s, mixL), base.labels, yTe, `λ=${mixL}`);
      });
    }
    const cnb = tally('library CNB', seed, language);
    console.error(`seed ${seed} ${language} done (${((Date.now() - seedStart) / 1000).toFixed(0)}s), cnb ${(100 * cnb.correct / cnb.n).toFixed(1)}`);
  }
}

// ---------- report ----------
const pct = (x: number) => (100 * x).toFixed(2);
const meanAcc = (method: string, seed: number) => { const byLang = results.get(method)!.get(seed)!; let s = 0; for (const l of FOCUS) { const t = byLang.get(l)!; s += t.correct / t.n; } return s / FOCUS.length; };
console.log(`\nmean accuracy over ${FOCUS.join(' ')}, 5 outer folds; Δ = method − library CNB on the same folds; +/− = sentences right only by method / only by CNB (all seeds)`);
console.log(`${'method'.padEnd(42)} ${SEEDS.map((s) => String(s).padStart(7)).join(' ')}    mean       Δ   (Δ per seed)          +/−`);
for (const method of results.keys()) {
  const accs = SEEDS.map((s) => meanAcc(method, s));
  const deltas = SEEDS.map((s, j) => accs[j]! - meanAcc('library CNB', s));
  let wins = 0, losses = 0;
  for (const s of SEEDS) for (const t of results.get(method)!.get(s)!.values()) { wins += t.wins; losses += t.losses; }
  const m = accs.reduce((a, b) => a + b, 0) / accs.length, dm = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  console.log(`${method.padEnd(42)} ${accs.map((a) => pct(a).padStart(7)).join(' ')} ${pct(m).padStart(7)} ${(dm >= 0 ? '+' : '') + pct(dm).padStart(6)}   (${deltas.map((x) => (x >= 0 ? '+' : '') + pct(x)).join(' ')})  ${wins}/${losses}`);
}
for (const method of results.keys()) {
  const chosen = new Map<string, number>();
  for (const bySeed of results.get(method)!.values()) for (const t of bySeed.values()) for (const [k, v] of t.chosen) chosen.set(k, (chosen.get(k) ?? 0) + v);
  if (chosen.size) console.log(`choices ${method}: ${[...chosen.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}×${v}`).join(', ')}`);
}
console.log(`\nper language (first seed ${SEEDS[0]}):`);
for (const method of results.keys()) console.log(`${method.padEnd(42)} ${FOCUS.map((l) => { const t = results.get(method)!.get(SEEDS[0]!)!.get(l)!; return `${l.slice(0, 3)} ${(100 * t.correct / t.n).toFixed(1)}`; }).join(' ')}`);
console.log(`\ntraining+scoring time (s): ${[...timers.entries()].map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ')}`);
