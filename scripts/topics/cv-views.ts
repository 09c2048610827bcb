/**
 * Second model-selection lab for SIB-200 (train splits only, the same index_id folds as cv-lab.ts):
 * complement naive Bayes over different feature VIEWS and groups (suffixes, several prefix lengths,
 * character n-grams across word boundaries), Rennie's weight normalisation, ensembles of CNBs over
 * views (summed scores / log-probabilities / probabilities), bagging, pruning of rare features and an
 * averaged perceptron started from the CNB weights; and (the "lex:" experiments) Snowball stems,
 * stopword lists, English WordNet supersenses/hypernyms from npm packages (lexical-lab.ts, which says
 * how to install them outside the repo), learned stopwords (class-entropy feature weights) and chi²
 * feature selection. Dev is never read here.
 *
 *   npx tsx scripts/topics/cv-views.ts [substring of experiment names…] [--all]
 *   LEXICAL_MODULES=/tmp/lexlab/node_modules npx tsx scripts/topics/cv-views.ts lex:
 *
 * Outcome (BENCHMARKS.md, Topics): no variant beat the default by more than fold-partition noise
 * (FOLD_SEED=777 / 2024 re-partition the folds).
 *
 * Prints the mean accuracy over eng/rus/ita/spa/deu (or all 23 with --all), the std of the per-language
 * accuracies, and the paired difference to the first experiment with its standard error over the
 * 25 (language, fold) cells.
 */
import { hashString } from '../../libs/topics/features';
import { tokenize } from '../../libs/topics/normalize';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';
import { stemmerFor, stopwordsFor, wordnetFeatures } from './lexical-lab';
import { ALL, C, FOCUS, foldsBySentence, load } from './sib-folds';

const FOLDS = 5;
const foldOf = foldsBySentence(Number(process.env.FOLD_SEED ?? 12345), FOLDS);

// ---------- feature groups (raw counts, exact keys: no hashing collisions) ----------
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
type Counts = Map<number, number>;
function bump(m: Counts, key: number, by = 1): void { m.set(key, (m.get(key) ?? 0) + by); }

/**
 * Group names: c<min><max> (chars inside words), x<min><max> (chars across words), w1, w2, p<n>, s<n>;
 * lexical resources (lexical-lab.ts): t1 (Snowball stems), tp (stems, prefixes of 4 where the language
 * has no stemmer), n<d>[k] (English WordNet: supersense of the first k senses, hypernyms to depth d).
 * A trailing "-" / "~" drops stopwords (stopword package / stopwords-iso) from the words of that group.
 */
function groupCounts(text: string, fullGroup: string, language: string): Counts {
  const m: Counts = new Map();
  const seed = hashString(fullGroup, 99);
  const stop = fullGroup.endsWith('-') ? stopwordsFor(language, 'small') : fullGroup.endsWith('~') ? stopwordsFor(language, 'iso') : null;
  const group = stop ? fullGroup.slice(0, -1) : fullGroup;
  const words: string[] = [];
  let previous: string | null = null;
  for (const token of tokenize(text)) {
    if (token.kind !== 'word') {
      if (group === 'w1') bump(m, hashString(token.text, seed ^ 7));
      previous = token.kind === 'number' ? token.text : null;
      continue;
    }
    const w = token.text;
    if (stop?.has(w)) continue;
    words.push(w);
    const kind = group[0];
    if (group === 'w1') bump(m, hashString(w, seed));
    else if (group === 't1' || group === 'tp') {
      const stemmer = stemmerFor(language);
      if (stemmer) bump(m, hashString(stemmer.stem(w), seed));
      else if (group === 'tp' && !UNSPACED.test(w)) bump(m, hashString(w.length > 4 ? w.slice(0, 4) : w, seed ^ 3));
    } else if (kind === 'n') {
      if (language === 'eng_Latn') for (const f of wordnetFeatures(w, Number(group[1]), Number(group[2] ?? 1))) bump(m, hashString(f, seed));
    }
    else if (group === 'w2') { if (previous !== null) bump(m, hashString(`${previous} ${w}`, seed)); }
    else if (kind === 'c') {
      const min = UNSPACED.test(w) ? 1 : Number(group[1]);
      const max = Number(group[2]);
      const marked = `\u0002${w}\u0003`;
      for (let n = min; n <= max; n++) for (let s = 0; s + n <= marked.length; s++) {
        const gram = marked.substring(s, s + n);
        if (n === 1 && (gram === '\u0002' || gram === '\u0003')) continue;
        bump(m, hashString(gram, seed));
      }
    } else if (kind === 'p' && !UNSPACED.test(w)) {
      const n = Number(group.slice(1));
      bump(m, hashString(w.length > n ? w.slice(0, n) : w, seed));
    } else if (kind === 's' && !UNSPACED.test(w)) {
      const n = Number(group.slice(1));
      if (w.length > n) bump(m, hashString(w.slice(-n), seed));
    }
    previous = w;
  }
  if (group[0] === 'x') {
    const joined = ` ${words.join(' ')} `;
    const min = Number(group[1]);
    const max = Number(group[2]);
    for (let n = min; n <= max; n++) for (let s = 0; s + n <= joined.length; s++) bump(m, hashString(joined.substring(s, s + n), seed));
  }
  return m;
}
const groupCache = new Map<string, Counts[]>();
function groupsOf(language: string, group: string): Counts[] {
  const key = `${language}|${group}`;
  let value = groupCache.get(key);
  if (!value) { value = load(language).map((row) => groupCounts(row.text, group, language)); groupCache.set(key, value); }
  return value;
}

interface Vec { idx: Int32Array; val: Float64Array }
/** A view: groups with weights; each group log-tf and L2-normalised × weight, then the whole vector L2-normalised. */
type View = [group: string, weight: number][];
function vectorize(language: string, view: View, dict: Map<string, number>): Vec[] {
  const rows = load(language);
  const perGroup = view.map(([group]) => groupsOf(language, group));
  return rows.map((_, i) => {
    const entries = new Map<number, number>();
    view.forEach(([group, weight], g) => {
      const m = perGroup[g]![i]!;
      if (m.size === 0 || weight === 0) return;
      let norm = 0;
      for (const count of m.values()) norm += (1 + Math.log(count)) ** 2;
      const scale = weight / Math.sqrt(norm);
      for (const [h, count] of m) {
        const k = `${group}:${h}`;
        let id = dict.get(k);
        if (id === undefined) { id = dict.size; dict.set(k, id); }
        bump(entries, id, (1 + Math.log(count)) * scale);
      }
    });
    const idx = Int32Array.from([...entries.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    idx.forEach((id, j) => { val[j] = entries.get(id)!; norm += val[j]! ** 2; });
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < val.length; j++) val[j]! *= s;
    return { idx, val };
  });
}

// ---------- complement NB ----------
interface Cnb {
  alpha: number;
  /** Weight normalisation: none; Rennie step 5 on the raw complement log-probabilities (l1raw, as sklearn's norm=True); L1 / L2 of the centred weights per class. */
  norm: 'none' | 'l1raw' | 'l1c' | 'l2c';
  /** Drop features seen in fewer than this many training texts. */
  minDf: number;
  /** Averaged-perceptron epochs on top of the CNB weights (0 = none) and its step relative to the weight scale. */
  perceptron: number;
  rate: number;
  /**
   * Supervised feature weights g_d from the training fold (training values and scores both scaled by g):
   * 'entropy' = (1 - H(class | feature) / log C)^fwPower (features spread evenly over the classes, the
   * learned stopwords, fade out); 'stop' = g = fwPower for features in ≥ fwDf of the texts whose
   * normalised class entropy is ≥ fwH, else 1; 'chi2' = keep the top `keep` fraction by max-class chi².
   */
  fw?: 'entropy' | 'stop' | 'chi2';
  fwPower?: number;
  fwDf?: number;
  fwH?: number;
  /** Add-s smoothing of the per-class document frequencies for 'entropy' (default 0.5). */
  fwSmooth?: number;
  keep?: number;
}
const CNB: Cnb = { alpha: 0.03, norm: 'none', minDf: 1, perceptron: 0, rate: 0.1 };

/** Per-feature weights from document frequencies per class (class-balanced), see Cnb.fw. */
function featureWeights(X: Vec[], y: number[], dims: number, o: Cnb): Float64Array {
  const df = new Float64Array(dims * C);
  const classCount = new Float64Array(C);
  X.forEach((x, i) => { classCount[y[i]!]!++; for (let k = 0; k < x.idx.length; k++) df[x.idx[k]! * C + y[i]!]!++; });
  const g = new Float64Array(dims).fill(1);
  const n = X.length;
  const chi = o.fw === 'chi2' ? new Float64Array(dims) : null;
  for (let d = 0; d < dims; d++) {
    let total = 0;
    for (let c = 0; c < C; c++) total += df[d * C + c]!;
    if (total === 0) { g[d] = 0; continue; }
    if (o.fw === 'chi2') {
      let best = 0;
      for (let c = 0; c < C; c++) {
        const a = df[d * C + c]!, b = total - a, cc = classCount[c]! - a, dd = n - classCount[c]! - b;
        const denom = (a + cc) * (b + dd) * (a + b) * (cc + dd);
        if (denom > 0) best = Math.max(best, (n * (a * dd - cc * b) ** 2) / denom);
      }
      chi![d] = best;
      continue;
    }
    const q = new Float64Array(C);
    let sum = 0;
    for (let c = 0; c < C; c++) { q[c] = (df[d * C + c]! + (o.fwSmooth ?? 0.5)) / classCount[c]!; sum += q[c]!; }
    let h = 0;
    for (let c = 0; c < C; c++) { const p = q[c]! / sum; h -= p * Math.log(p); }
    h /= Math.log(C);
    if (o.fw === 'entropy') g[d] = Math.max(0, 1 - h) ** (o.fwPower ?? 1);
    else if (o.fw === 'stop' && total >= (o.fwDf ?? 0.05) * n && h >= (o.fwH ?? 0.9)) g[d] = o.fwPower ?? 0;
  }
  if (chi) {
    const seen = [...chi.keys()].filter((d) => g[d]! > 0).sort((a, b) => chi[b]! - chi[a]!);
    const keep = Math.ceil(seen.length * (o.keep ?? 1));
    seen.forEach((d, r) => { g[d] = r < keep ? 1 : 0; });
  }
  return g;
}

function trainCnb(X0: Vec[], y: number[], sw: number[], dims: number, o: Cnb): Float64Array {
  const g = o.fw ? featureWeights(X0, y, dims, o) : null;
  const X = g ? X0.map((x) => ({ idx: x.idx, val: x.val.map((v, k) => v * g[x.idx[k]!]!) })) : X0;
  const classTotals = new Float64Array(C);
  y.forEach((c, i) => (classTotals[c]! += sw[i]!));
  const sum = classTotals.reduce((a, b) => a + b, 0);
  const w = y.map((c, i) => (sum / (C * classTotals[c]!)) * sw[i]!);
  const alpha = o.alpha * (X.length / 1000) ** 0.75;
  const counts = new Float64Array(dims * C);
  const all = new Float64Array(dims);
  const df = new Float64Array(dims);
  const totals = new Float64Array(C);
  let grand = 0;
  X.forEach((x, i) => {
    for (let k = 0; k < x.idx.length; k++) {
      const v = w[i]! * x.val[k]!;
      counts[x.idx[k]! * C + y[i]!]! += v; totals[y[i]!]! += v; all[x.idx[k]!]! += v; df[x.idx[k]!]! += 1; grand += v;
    }
  });
  let vocab = 0;
  for (let d = 0; d < dims; d++) if (all[d]! > 0) vocab++;
  const W = new Float64Array(dims * C);
  const norms = new Float64Array(C);
  for (let d = 0; d < dims; d++) {
    if (!(all[d]! > 0) || df[d]! < o.minDf) continue;
    let mean = 0;
    for (let c = 0; c < C; c++) {
      const logTheta = Math.log(Math.max(0, all[d]! - counts[d * C + c]!) + alpha) - Math.log(grand - totals[c]! + alpha * vocab);
      W[d * C + c] = -logTheta;
      mean += -logTheta;
      if (o.norm === 'l1raw') norms[c]! += Math.abs(logTheta);
    }
    mean /= C;
    for (let c = 0; c < C; c++) {
      if (o.norm !== 'l1raw') W[d * C + c]! -= mean;
      if (o.norm === 'l1c') norms[c]! += Math.abs(W[d * C + c]!);
      if (o.norm === 'l2c') norms[c]! += W[d * C + c]! ** 2;
    }
  }
  if (o.norm !== 'none') {
    for (let c = 0; c < C; c++) norms[c] = o.norm === 'l2c' ? Math.sqrt(norms[c]!) : norms[c]!;
    // Rescale so the mean norm is kept (argmax is unaffected by a common factor; softmax ensembles are).
    const meanNorm = norms.reduce((a, b) => a + b, 0) / C;
    for (let d = 0; d < dims; d++) {
      if (o.norm === 'l1raw') {
        // Rennie: w_c = logTheta_c / sum_k |logTheta_ck|, label = argmin t·w_c, i.e. score = (-logTheta_c) / norm_c; centred after.
        let mean = 0;
        for (let c = 0; c < C; c++) { W[d * C + c] = (W[d * C + c]! * meanNorm) / norms[c]!; mean += W[d * C + c]!; }
        for (let c = 0; c < C; c++) W[d * C + c]! -= mean / C;
      } else for (let c = 0; c < C; c++) W[d * C + c]! *= meanNorm / norms[c]!;
    }
  }
  if (o.perceptron > 0) averagedPerceptron(W, X, y, o);
  if (g) for (let d = 0; d < dims; d++) for (let c = 0; c < C; c++) W[d * C + c]! *= g[d]!;
  return W;
}

/** Averaged multiclass perceptron refinement starting from W (in place). */
function averagedPerceptron(W: Float64Array, X: Vec[], y: number[], o: Cnb): void {
  let scale = 0;
  for (let j = 0; j < W.length; j++) scale += Math.abs(W[j]!);
  scale /= W.length || 1;
  const step = o.rate * scale * 10;
  const acc = Float64Array.from(W);
  const order = X.map((_, i) => i);
  const random = createRandom(7);
  for (let e = 0; e < o.perceptron; e++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const z = score(W, X[i]!);
      let best = 0; for (let c = 1; c < C; c++) if (z[c]! > z[best]!) best = c;
      if (best !== y[i]) {
        const x = X[i]!;
        for (let k = 0; k < x.idx.length; k++) { W[x.idx[k]! * C + y[i]!]! += step * x.val[k]!; W[x.idx[k]! * C + best]! -= step * x.val[k]!; }
      }
    }
    for (let j = 0; j < W.length; j++) acc[j]! += W[j]!;
  }
  for (let j = 0; j < W.length; j++) W[j] = acc[j]! / (o.perceptron + 1);
}

function score(W: Float64Array, x: Vec): Float64Array {
  const z = new Float64Array(C);
  for (let k = 0; k < x.idx.length; k++) { const base = x.idx[k]! * C; const v = x.val[k]!; for (let c = 0; c < C; c++) z[c]! += v * W[base + c]!; }
  return z;
}
function softmax(z: Float64Array): void { let m = -Infinity; for (const v of z) m = Math.max(m, v); let s = 0; for (let c = 0; c < C; c++) { z[c] = Math.exp(z[c]! - m); s += z[c]!; } for (let c = 0; c < C; c++) z[c]! /= s; }

// ---------- experiments ----------
interface Member { view: View; cnb?: Partial<Cnb>; weight?: number; bags?: number }
interface Exp { name: string; members: Member[]; combine?: 'sum' | 'logprob' | 'prob'; temp?: number }

/** Accuracy per (language, fold) cell. */
function run(exp: Exp, languages: string[]): number[][] {
  return languages.map((language) => {
    const rows = load(language);
    const y = rows.map((row) => row.y);
    const memberData = exp.members.map((member) => {
      const dict = new Map<string, number>();
      const X = vectorize(language, member.view, dict);
      return { X, dims: dict.size };
    });
    const cells: number[] = [];
    for (let fold = 0; fold < FOLDS; fold++) {
      const train = rows.map((row, i) => (foldOf.get(row.id) !== fold ? i : -1)).filter((i) => i >= 0);
      const test = rows.map((row, i) => (foldOf.get(row.id) === fold ? i : -1)).filter((i) => i >= 0);
      const totals = test.map(() => new Float64Array(C));
      exp.members.forEach((member, m) => {
        const { X, dims } = memberData[m]!;
        const o = { ...CNB, ...member.cnb };
        const bags = member.bags ?? 0;
        const Ws: Float64Array[] = [];
        if (bags === 0) Ws.push(trainCnb(train.map((i) => X[i]!), train.map((i) => y[i]!), train.map(() => 1), dims, o));
        else {
          const random = createRandom(1000 + fold);
          for (let b = 0; b < bags; b++) {
            const sw = new Array(train.length).fill(0);
            for (let k = 0; k < train.length; k++) sw[Math.floor(random() * train.length)]++;
            const keep = train.map((_, k) => k).filter((k) => sw[k] > 0);
            Ws.push(trainCnb(keep.map((k) => X[train[k]!]!), keep.map((k) => y[train[k]!]!), keep.map((k) => sw[k]), dims, o));
          }
        }
        test.forEach((i, t) => {
          for (const W of Ws) {
            const z = score(W, X[i]!);
            const weight = (member.weight ?? 1) / Ws.length;
            if (exp.combine === 'logprob' || exp.combine === 'prob') {
              for (let c = 0; c < C; c++) z[c]! *= exp.temp ?? 1;
              softmax(z);
              for (let c = 0; c < C; c++) totals[t]![c]! += weight * (exp.combine === 'prob' ? z[c]! : Math.log(z[c]! + 1e-12));
            } else for (let c = 0; c < C; c++) totals[t]![c]! += weight * z[c]!;
          }
        });
      });
      let correct = 0;
      test.forEach((i, t) => { let best = 0; for (let c = 1; c < C; c++) if (totals[t]![c]! > totals[t]![best]!) best = c; if (best === y[i]) correct++; });
      cells.push(correct / test.length);
    }
    return cells;
  });
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => { const m = mean(v); return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)); };

const BASE_VIEW: View = [['c26', 1], ['w1', 0.7], ['p4', 0.7]];
const V = (...extra: View): View => [...BASE_VIEW, ...extra];
const EXPS: Exp[] = [
  { name: 'baseline: cnb c26+w1+p4', members: [{ view: BASE_VIEW }] },
  // (2) weight normalisation
  { name: 'wnorm l1raw (Rennie step 5)', members: [{ view: BASE_VIEW, cnb: { norm: 'l1raw' } }] },
  { name: 'wnorm l1 centred', members: [{ view: BASE_VIEW, cnb: { norm: 'l1c' } }] },
  { name: 'wnorm l2 centred', members: [{ view: BASE_VIEW, cnb: { norm: 'l2c' } }] },
  { name: 'alpha 0.01', members: [{ view: BASE_VIEW, cnb: { alpha: 0.01 } }] },
  { name: 'alpha 0.1', members: [{ view: BASE_VIEW, cnb: { alpha: 0.1 } }] },
  { name: 'alpha 0.3', members: [{ view: BASE_VIEW, cnb: { alpha: 0.3 } }] },
  { name: 'alpha 0.1 l2c', members: [{ view: BASE_VIEW, cnb: { alpha: 0.1, norm: 'l2c' } }] },
  { name: 'mindf 2', members: [{ view: BASE_VIEW, cnb: { minDf: 2 } }] },
  // (4) suffixes, more prefixes
  { name: '+s3 0.5', members: [{ view: V(['s3', 0.5]) }] },
  { name: '+s4 0.5', members: [{ view: V(['s4', 0.5]) }] },
  { name: '+s3 0.3', members: [{ view: V(['s3', 0.3]) }] },
  { name: '+p3 0.5', members: [{ view: V(['p3', 0.5]) }] },
  { name: '+p5 0.5', members: [{ view: V(['p5', 0.5]) }] },
  { name: '+p3 +p5 0.5', members: [{ view: V(['p3', 0.5], ['p5', 0.5]) }] },
  { name: '+p5 +p6 0.5', members: [{ view: V(['p5', 0.5], ['p6', 0.5]) }] },
  { name: '+w2 0.3', members: [{ view: V(['w2', 0.3]) }] },
  { name: '+x35 0.5', members: [{ view: V(['x35', 0.5]) }] },
  { name: '+x35 1', members: [{ view: V(['x35', 1]) }] },
  // (1) ensembles of views
  ...(['sum', 'logprob', 'prob'] as const).map((combine): Exp => ({
    name: `ens3 ${combine}: c26 | w1+p4 | x35`, combine, temp: 1,
    members: [{ view: [['c26', 1]] }, { view: [['w1', 1], ['p4', 1]] }, { view: [['x35', 1]] }],
  })),
  ...(['sum', 'logprob', 'prob'] as const).map((combine): Exp => ({
    name: `ens2 ${combine}: base | x35`, combine,
    members: [{ view: BASE_VIEW }, { view: [['x35', 1]] }],
  })),
  ...(['sum', 'logprob'] as const).map((combine): Exp => ({
    name: `ens4 ${combine}: base | c26 | w1+p4 | x35`, combine,
    members: [{ view: BASE_VIEW }, { view: [['c26', 1]] }, { view: [['w1', 1], ['p4', 1]] }, { view: [['x35', 1]] }],
  })),
  { name: 'bagging 15 (sum)', members: [{ view: BASE_VIEW, bags: 15 }] },
  { name: 'bagging 15 (logprob)', combine: 'logprob', members: [{ view: BASE_VIEW, bags: 15 }] },
  // (5) averaged perceptron from CNB weights
  { name: 'cnb + avg perceptron 3 ep, 0.1', members: [{ view: BASE_VIEW, cnb: { perceptron: 3, rate: 0.1 } }] },
  { name: 'cnb + avg perceptron 3 ep, 0.03', members: [{ view: BASE_VIEW, cnb: { perceptron: 3, rate: 0.03 } }] },
  // combinations of what helped alone
  { name: 'combo +s3 0.5 +x35 0.5', members: [{ view: V(['s3', 0.5], ['x35', 0.5]) }] },
  { name: 'combo +s3 0.5 l2c', members: [{ view: V(['s3', 0.5]), cnb: { norm: 'l2c' } }] },
  { name: 'combo +s3 0.5 +x35 0.5 l2c', members: [{ view: V(['s3', 0.5], ['x35', 0.5]), cnb: { norm: 'l2c' } }] },
  { name: 'combo +s3 0.7', members: [{ view: V(['s3', 0.7]) }] },
  { name: 'combo +s3 0.5 +s2 0.3', members: [{ view: V(['s3', 0.5], ['s2', 0.3]) }] },
  { name: 'combo +s3 0.5 +s4 0.3', members: [{ view: V(['s3', 0.5], ['s4', 0.3]) }] },
  { name: 'combo +s3 0.5 perc 3/0.1', members: [{ view: V(['s3', 0.5]), cnb: { perceptron: 3, rate: 0.1 } }] },
  { name: 'combo +s3 0.5 l2c perc 3/0.1', members: [{ view: V(['s3', 0.5]), cnb: { norm: 'l2c', perceptron: 3, rate: 0.1 } }] },
  { name: 'combo +s3 0.5 +x35 0.5 l2c perc 3/0.1', members: [{ view: V(['s3', 0.5], ['x35', 0.5]), cnb: { norm: 'l2c', perceptron: 3, rate: 0.1 } }] },
  { name: 'perc 5/0.1', members: [{ view: BASE_VIEW, cnb: { perceptron: 5, rate: 0.1 } }] },
  { name: 'perc 10/0.1', members: [{ view: BASE_VIEW, cnb: { perceptron: 10, rate: 0.1 } }] },
  { name: 'perc 3/0.3', members: [{ view: BASE_VIEW, cnb: { perceptron: 3, rate: 0.3 } }] },
  { name: 'perc 3/1', members: [{ view: BASE_VIEW, cnb: { perceptron: 3, rate: 1 } }] },
  { name: 'perc 1/0.1', members: [{ view: BASE_VIEW, cnb: { perceptron: 1, rate: 0.1 } }] },
  { name: 'sfx s3 1.0', members: [{ view: V(['s3', 1]) }] },
  { name: 'sfx s3 0.7 +s2 0.3', members: [{ view: V(['s3', 0.7], ['s2', 0.3]) }] },
  { name: 'sfx s3 0.7 +s2 0.5', members: [{ view: V(['s3', 0.7], ['s2', 0.5]) }] },
  { name: 'sfx s3 0.7 +x35 0.5', members: [{ view: V(['s3', 0.7], ['x35', 0.5]) }] },
  { name: 'sfx s3 0.7 perc 3/0.1', members: [{ view: V(['s3', 0.7]), cnb: { perceptron: 3, rate: 0.1 } }] },
  { name: 'len: c2..c6 separate groups, equal', members: [{ view: [['c22', 1], ['c33', 1], ['c44', 1], ['c55', 1], ['c66', 1], ['w1', 1.5], ['p4', 1.5]] }] },
  { name: 'len: c2..c6 separate, rising', members: [{ view: [['c22', 0.5], ['c33', 0.8], ['c44', 1], ['c55', 1.1], ['c66', 1.2], ['w1', 1.5], ['p4', 1.5]] }] },
  { name: 'len: c2..c6 separate, falling', members: [{ view: [['c22', 1.2], ['c33', 1.1], ['c44', 1], ['c55', 0.8], ['c66', 0.5], ['w1', 1.5], ['p4', 1.5]] }] },
  { name: 'grp: c36 + w1 + p4', members: [{ view: [['c36', 1], ['w1', 0.7], ['p4', 0.7]] }] },
  { name: 'grp: c26 + w1 0.5 + p4 0.9', members: [{ view: [['c26', 1], ['w1', 0.5], ['p4', 0.9]] }] },
  { name: 'grp: c26 + w1 0.9 + p4 0.5', members: [{ view: [['c26', 1], ['w1', 0.9], ['p4', 0.5]] }] },
  { name: 'grp: +x24 0.5', members: [{ view: V(['x24', 0.5]) }] },
  { name: 'grp: +x46 0.5', members: [{ view: V(['x46', 0.5]) }] },
  // lexical resources (lexical-lab.ts) and learned feature weights
  { name: 'lex: stems t1 for w1', members: [{ view: [['c26', 1], ['t1', 0.7], ['p4', 0.7]] }] },
  { name: 'lex: stems tp for p4', members: [{ view: [['c26', 1], ['w1', 0.7], ['tp', 0.7]] }] },
  { name: 'lex: stems t1 for w1+p4', members: [{ view: [['c26', 1], ['t1', 1]] }] },
  { name: 'lex: +t1 0.5', members: [{ view: V(['t1', 0.5]) }] },
  { name: 'lex: +t1 0.7', members: [{ view: V(['t1', 0.7]) }] },
  { name: 'lex: stopwords small, w1 p4', members: [{ view: [['c26', 1], ['w1-', 0.7], ['p4-', 0.7]] }] },
  { name: 'lex: stopwords small, all groups', members: [{ view: [['c26-', 1], ['w1-', 0.7], ['p4-', 0.7]] }] },
  { name: 'lex: stopwords iso, w1 p4', members: [{ view: [['c26', 1], ['w1~', 0.7], ['p4~', 0.7]] }] },
  { name: 'lex: stopwords iso, all groups', members: [{ view: [['c26~', 1], ['w1~', 0.7], ['p4~', 0.7]] }] },
  { name: 'lex: learned entropy^0.5', members: [{ view: BASE_VIEW, cnb: { fw: 'entropy', fwPower: 0.5 } }] },
  { name: 'lex: learned entropy^1', members: [{ view: BASE_VIEW, cnb: { fw: 'entropy', fwPower: 1 } }] },
  { name: 'lex: learned entropy^2', members: [{ view: BASE_VIEW, cnb: { fw: 'entropy', fwPower: 2 } }] },
  { name: 'lex: learned stop df5% H.9 → 0', members: [{ view: BASE_VIEW, cnb: { fw: 'stop', fwPower: 0, fwDf: 0.05, fwH: 0.9 } }] },
  { name: 'lex: learned stop df2% H.8 → 0.3', members: [{ view: BASE_VIEW, cnb: { fw: 'stop', fwPower: 0.3, fwDf: 0.02, fwH: 0.8 } }] },
  { name: 'lex: chi2 keep 50%', members: [{ view: BASE_VIEW, cnb: { fw: 'chi2', keep: 0.5 } }] },
  { name: 'lex: chi2 keep 20%', members: [{ view: BASE_VIEW, cnb: { fw: 'chi2', keep: 0.2 } }] },
  { name: 'lex: chi2 keep 90%', members: [{ view: BASE_VIEW, cnb: { fw: 'chi2', keep: 0.9 } }] },
  { name: 'lex: chi2 keep 5%', members: [{ view: BASE_VIEW, cnb: { fw: 'chi2', keep: 0.05 } }] },
  { name: 'lex: wordnet +n0 0.3', members: [{ view: V(['n0', 0.3]) }] },
  { name: 'lex: wordnet +n0 0.7', members: [{ view: V(['n0', 0.7]) }] },
  { name: 'lex: wordnet +n2 0.5', members: [{ view: V(['n2', 0.5]) }] },
  { name: 'lex: wordnet +n4 0.5', members: [{ view: V(['n4', 0.5]) }] },
  { name: 'lex: wordnet +n33 0.5', members: [{ view: V(['n33', 0.5]) }] },
  { name: 'lex: wordnet +n2 1.0', members: [{ view: V(['n2', 1]) }] },
  { name: 'lex: +t1 0.3', members: [{ view: V(['t1', 0.3]) }] },
  { name: 'lex: +t1- 0.5 (stopwords out of the stems)', members: [{ view: V(['t1-', 0.5]) }] },
  { name: 'lex: +t1 0.5 +n2 0.5', members: [{ view: V(['t1', 0.5], ['n2', 0.5]) }] },
  { name: 'lex: learned entropy^0.5 smooth 0.01', members: [{ view: BASE_VIEW, cnb: { fw: 'entropy', fwPower: 0.5, fwSmooth: 0.01 } }] },
  { name: 'lex: learned entropy^0.25 smooth 0.01', members: [{ view: BASE_VIEW, cnb: { fw: 'entropy', fwPower: 0.25, fwSmooth: 0.01 } }] },
];

if (require.main === module) {
  const args = process.argv.slice(2);
  const languages = args.includes('--all') ? ALL : FOCUS;
  const which = args.filter((a) => !a.startsWith('--'));
  const exps = EXPS.filter((exp, i) => i === 0 || which.length === 0 || which.some((w) => exp.name.includes(w)));
  let baseCells: number[] | null = null;
  for (const exp of exps) {
    const started = Date.now();
    const cells = run(exp, languages);
    const flat = cells.flat();
    const perLanguage = cells.map(mean);
    let diff = '';
    if (baseCells) { const d = flat.map((v, i) => v - baseCells![i]!); diff = `Δ ${(mean(d) * 100).toFixed(2).padStart(6)} ± ${((std(d) / Math.sqrt(d.length)) * 100).toFixed(2)}`; }
    else baseCells = flat;
    console.log(`${(mean(perLanguage) * 100).toFixed(2)} (sd lang ${(std(perLanguage) * 100).toFixed(1)}, sd cell ${(std(flat) * 100).toFixed(1)}) ${diff.padEnd(16)} ${exp.name.padEnd(44)} ${languages.length <= 5 ? perLanguage.map((a, i) => `${languages[i]!.slice(0, 3)} ${(a * 100).toFixed(1)}`).join(' ') : ''} (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  }
}
