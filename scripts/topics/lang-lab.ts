/**
 * Language-weighting lab for SIB-200 (train splits only; dev is never read here).
 *
 * Question: a complement-NB model trained on MANY languages pooled scores below one trained on the
 * text's own language, while own + a few related languages helps. Can the model weight its training
 * GROUPS (one group per training file = one language here) by how close each is to the text being
 * classified, automatically (no language-family table, no use of index_id)?
 *
 * Protocol: for each target L in FOCUS and each of 5 folds (foldsBySentence(FOLD_SEED), default 12345):
 * train = rows of ALL 23 languages whose index_id is not in the fold, test = L's rows in the fold.
 *
 * Method: CNB is a function of per-class feature counts, so one count table per group is kept and,
 * for each text, the CNB weights of the features IN THE TEXT are computed from the λ-weighted mixture
 * of the group tables (exact: the same as training one CNB on the groups with example weights λ_g):
 *   N_dc(λ) = Σ_g λ_g N_gdc,  F_d(λ) = Σ_c N_dc(λ),  T_c(λ) = Σ_g λ_g T_gc,  T(λ) = Σ_c T_c(λ)
 *   n(λ) = Σ_g λ_g n_g,       α(λ) = 0.03 (n(λ)/1000)^0.75,  V(λ) = |∪_{g: λ_g > 0} vocab_g|
 *   w_dc = log(T(λ) − T_c(λ) + α V) − log(max(0, F_d − N_dc) + α)   (centring skipped: same argmax)
 * where N_gdc are the class-balanced counts of group g (each example weighted n_g / (C n_gc)).
 * λ ≡ 1 is the pooled library model, λ = one-hot(L) the own-language model.
 *
 *   npx tsx scripts/topics/lang-lab.ts [substring of experiment names, or =exact name…] [--all] [--check]
 *   (FOLD_SEED=777 … re-partitions; --all: all 23 languages as targets; --check: λ ≡ 1 vs the library)
 *
 * Outcome (mean of fold partitions 12345 / 777 / 2024, eng/rus/ita/spa/deu): pooled 72.3, own only 73.6,
 * own + hand-picked related 74.4, winner "grp cov→cov top4" 74.6 (all 23 languages as targets, seed
 * 12345: pooled 71.0, own 72.6, top4 73.5). The winner: language id of the text = the group whose
 * training vocabulary covers most of its feature mass (the library has since moved to a naive Bayes
 * language id, which ties less on short texts: BENCHMARKS.md, "Short texts"); λ = 1 for that group ĥ, S[ĥ,g] for its 3 most
 * similar other groups (S = mean coverage of ĥ's training texts by g's vocabulary, divided by the
 * leave-one-out self-coverage), 0 for the rest; α from n(λ). Soft weights on all groups (power,
 * softmax, floors) dilute like pooling does: the cut to a few groups is what matters.
 *
 * Prints, per experiment, the mean accuracy over eng/rus/ita/spa/deu, the paired Δ to the first
 * experiment (pooled) with its standard error over the 25 (language, fold) cells, and per language.
 */
import { extractFeatures } from '../../libs/topics/features';
import { DEFAULT_FEATURES, scoreVector, trainClassifier } from '../../libs/topics/classifier';
import { ALL, C, FOCUS, LABELS, foldsBySentence, load } from './sib-folds';

const FOLDS = 5;
const SEED = Number(process.env.FOLD_SEED ?? 12345);
const foldOf = foldsBySentence(SEED, FOLDS);
const G = ALL.length;
/** Target languages: FOCUS, or all 23 with --all. */
const TARGETS = process.argv.includes('--all') ? ALL : FOCUS;

// ---------- features: the library's hashed features, buckets renumbered densely ----------
interface Vec { idx: Int32Array; val: Float64Array }
const denseOf = new Int32Array(1 << DEFAULT_FEATURES.hashBits).fill(-1);
let DIMS = 0;
const started = Date.now();
const DATA: { vecs: Vec[]; y: number[]; ids: number[]; texts: string[] }[] = ALL.map((language) => {
  const rows = load(language);
  return {
    y: rows.map((r) => r.y),
    ids: rows.map((r) => r.id),
    texts: rows.map((r) => r.text),
    vecs: rows.map((r) => {
      const v = extractFeatures(r.text, DEFAULT_FEATURES);
      const idx = new Int32Array(v.indices.length);
      for (let k = 0; k < idx.length; k++) {
        const b = v.indices[k]!;
        if (denseOf[b] === -1) denseOf[b] = DIMS++;
        idx[k] = denseOf[b]!;
      }
      return { idx, val: Float64Array.from(v.values) };
    }),
  };
});
console.error(`featurised ${DATA.reduce((a, d) => a + d.vecs.length, 0)} texts, ${DIMS} features, ${((Date.now() - started) / 1000).toFixed(1)}s`);

// ---------- the per-fold mixture model: per-group count tables, stored by feature (CSR) ----------
interface Mix {
  start: Int32Array; // dims + 1
  grp: Int32Array; // group of each entry
  cnt: Float64Array; // entries × C, class-balanced counts N_gdc
  tot: Float64Array; // F_gd = Σ_c N_gdc
  raw: Float64Array; // unweighted feature mass of group g (Σ of example values), for similarities
  df: Int32Array; // texts of group g containing d
  n: Float64Array; // examples per group
  totals: Float64Array; // G × C, T_gc
  grand: Float64Array; // T_g
  vocab: Int32Array; // |vocab_g|
  rawTotal: Float64Array; // Σ_d raw_gd
  rawNorm: Float64Array; // ||raw_g||_2 (centroid direction)
  unionCache: Map<number, number>;
}

function buildMix(train: number[][]): Mix {
  // train[g] = row indices of group g used for training
  const perFeature = new Int32Array(DIMS);
  const dense = new Float64Array(DIMS * C);
  const denseRaw = new Float64Array(DIMS);
  const denseDf = new Int32Array(DIMS);
  const groupEntries: { d: Int32Array; cnt: Float64Array; raw: Float64Array; df: Int32Array }[] = [];
  const n = new Float64Array(G), totals = new Float64Array(G * C), grand = new Float64Array(G), vocab = new Int32Array(G);
  const rawTotal = new Float64Array(G), rawNorm = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const { vecs, y } = DATA[g]!;
    const rows = train[g]!;
    const classCount = new Float64Array(C);
    for (const i of rows) classCount[y[i]!]!++;
    n[g] = rows.length;
    const touched: number[] = [];
    for (const i of rows) {
      const c = y[i]!;
      const w = rows.length / (C * classCount[c]!);
      const x = vecs[i]!;
      for (let k = 0; k < x.idx.length; k++) {
        const d = x.idx[k]!;
        if (denseDf[d] === 0) touched.push(d);
        dense[d * C + c]! += w * x.val[k]!;
        denseRaw[d]! += x.val[k]!;
        denseDf[d]!++;
        totals[g * C + c]! += w * x.val[k]!;
      }
    }
    const m = touched.length;
    const e = { d: Int32Array.from(touched), cnt: new Float64Array(m * C), raw: new Float64Array(m), df: new Int32Array(m) };
    touched.forEach((d, j) => {
      for (let c = 0; c < C; c++) { e.cnt[j * C + c] = dense[d * C + c]!; dense[d * C + c] = 0; }
      e.raw[j] = denseRaw[d]!; rawTotal[g]! += denseRaw[d]!; rawNorm[g]! += denseRaw[d]! ** 2; denseRaw[d] = 0;
      e.df[j] = denseDf[d]!; denseDf[d] = 0;
      perFeature[d]!++;
    });
    rawNorm[g] = Math.sqrt(rawNorm[g]!);
    vocab[g] = m;
    for (let c = 0; c < C; c++) grand[g]! += totals[g * C + c]!;
    groupEntries.push(e);
  }
  const start = new Int32Array(DIMS + 1);
  for (let d = 0; d < DIMS; d++) start[d + 1] = start[d]! + perFeature[d]!;
  const entries = start[DIMS]!;
  const fill = start.slice(0, DIMS);
  const grp = new Int32Array(entries), cnt = new Float64Array(entries * C), tot = new Float64Array(entries);
  const raw = new Float64Array(entries), df = new Int32Array(entries);
  groupEntries.forEach((e, g) => {
    for (let j = 0; j < e.d.length; j++) {
      const p = fill[e.d[j]!]!++;
      grp[p] = g;
      let s = 0;
      for (let c = 0; c < C; c++) { cnt[p * C + c] = e.cnt[j * C + c]!; s += e.cnt[j * C + c]!; }
      tot[p] = s; raw[p] = e.raw[j]!; df[p] = e.df[j]!;
    }
  });
  return { start, grp, cnt, tot, raw, df, n, totals, grand, vocab, rawTotal, rawNorm, unionCache: new Map() };
}

/** |∪ vocab_g| over the groups with λ_g > 0 (memoised by bitmask). */
function unionSize(m: Mix, mask: number): number {
  let v = m.unionCache.get(mask);
  if (v === undefined) {
    v = 0;
    for (let d = 0; d < DIMS; d++) {
      for (let p = m.start[d]!; p < m.start[d + 1]!; p++) if (mask & (1 << m.grp[p]!)) { v++; break; }
    }
    m.unionCache.set(mask, v);
  }
  return v;
}

interface ScoreOpts {
  alpha: number;
  /** How α grows: 'eff' from n(λ) = Σ λ_g n_g; 'top' from the n of the top-weighted group; 'max' from the n of all groups with λ>0. */
  alphaN: 'eff' | 'top' | 'max';
}

const N_BUF = new Float64Array(C);
/** CNB scores of x under the λ-mixture. */
function scoreMix(m: Mix, x: Vec, lam: Float64Array, o: ScoreOpts): Float64Array {
  let mask = 0, nEff = 0, nMax = 0, top = 0;
  for (let g = 0; g < G; g++) if (lam[g]! > 0) { mask |= 1 << g; nEff += lam[g]! * m.n[g]!; nMax += m.n[g]!; if (lam[g]! > lam[top]!) top = g; }
  const n = o.alphaN === 'eff' ? nEff : o.alphaN === 'top' ? m.n[top]! : nMax;
  // Scaling every λ by s while α is computed from n(λ) changes α by s^0.75: normalise λ so max = 1.
  const alpha = o.alpha * (n / 1000) ** 0.75;
  const V = unionSize(m, mask);
  const den = new Float64Array(C);
  let T = 0;
  const Tc = new Float64Array(C);
  for (let g = 0; g < G; g++) { const l = lam[g]!; if (l === 0) continue; for (let c = 0; c < C; c++) { Tc[c]! += l * m.totals[g * C + c]!; T += l * m.totals[g * C + c]!; } }
  for (let c = 0; c < C; c++) den[c] = Math.log(T - Tc[c]! + alpha * V);
  const z = new Float64Array(C);
  for (let k = 0; k < x.idx.length; k++) {
    const d = x.idx[k]!;
    let F = 0;
    N_BUF.fill(0);
    for (let p = m.start[d]!; p < m.start[d + 1]!; p++) {
      const l = lam[m.grp[p]!]!;
      if (l === 0) continue;
      F += l * m.tot[p]!;
      const base = p * C;
      for (let c = 0; c < C; c++) N_BUF[c]! += l * m.cnt[base + c]!;
    }
    if (!(F > 0)) continue;
    const v = x.val[k]!;
    for (let c = 0; c < C; c++) z[c]! += v * (den[c]! - Math.log(Math.max(0, F - N_BUF[c]!) + alpha));
  }
  return z;
}

// ---------- similarity of a text to each group ----------
type Sim = 'cov' | 'covdf2' | 'cos' | 'lm';
/**
 * cov: share of the text's feature mass (Σ values) found in the group's training vocabulary;
 * covdf2: the same counting only features in ≥ 2 of the group's texts (leave-one-out for a training text);
 * cos: cosine between the text and the group centroid (Σ of the group's vectors);
 * lm: log-likelihood of the text under a multinomial "language model" of the group,
 *     Σ_d x_d log((raw_gd + β) / (rawTotal_g + β D)), D = features of the fold, β = 0.01 (then a softmax over groups = NB language id).
 * `exclude` (a training text's own vector) is removed from the group statistics (leave-one-out) when given.
 */
function similarities(m: Mix, x: Vec, sim: Sim, excludeGroup = -1): Float64Array {
  const s = new Float64Array(G);
  let mass = 0;
  const beta = 0.01;
  const D = m.start.length - 1;
  if (sim === 'lm') for (let g = 0; g < G; g++) s[g] = 0;
  let xMass = 0;
  for (let k = 0; k < x.idx.length; k++) xMass += x.val[k]!;
  for (let k = 0; k < x.idx.length; k++) {
    const d = x.idx[k]!;
    const v = x.val[k]!;
    mass += v;
    if (sim === 'lm') {
      // groups without the feature: log(β / (rawTotal_g + βD)); add the difference for those with it
      for (let p = m.start[d]!; p < m.start[d + 1]!; p++) {
        const g = m.grp[p]!;
        const r = m.raw[p]! - (g === excludeGroup ? v : 0);
        if (r > 0) s[g]! += v * (Math.log(r + beta) - Math.log(beta));
      }
      continue;
    }
    for (let p = m.start[d]!; p < m.start[d + 1]!; p++) {
      const g = m.grp[p]!;
      const own = g === excludeGroup;
      if (sim === 'cov') { if (!own || m.df[p]! >= 2) s[g]! += v; }
      else if (sim === 'covdf2') { if (m.df[p]! - (own ? 1 : 0) >= 2) s[g]! += v; }
      else s[g]! += v * (m.raw[p]! - (own ? v : 0));
    }
  }
  if (sim === 'lm') {
    for (let g = 0; g < G; g++) {
      const tot = m.rawTotal[g]! - (g === excludeGroup ? xMass : 0);
      s[g]! += xMass * (Math.log(beta) - Math.log(tot + beta * D));
    }
  } else if (sim === 'cos') for (let g = 0; g < G; g++) s[g]! /= m.rawNorm[g]!; // (text norm is 1; LOO norm change ignored)
  else for (let g = 0; g < G; g++) s[g]! /= mass || 1;
  return s;
}

// ---------- weighting schemes ----------
interface Scheme {
  name: string;
  /** λ for a test text, given the fold's mix and (for 'related') the target language. */
  weights: (m: Mix, x: Vec, target: number, ctx: FoldCtx) => Float64Array;
  score?: Partial<ScoreOpts>;
  /** Ensemble of per-group CNBs instead of mixing counts: score = Σ_g λ_g · logsoftmax(CNB_g(x)). */
  ensemble?: boolean;
}
interface FoldCtx { S: Map<Sim, Float64Array> }

const idxOf = (l: string) => ALL.indexOf(ALL.find((a) => a.startsWith(l))!);
const RELATED: Record<string, string[]> = {
  eng: ['nld', 'deu'], deu: ['nld', 'eng'], ita: ['spa', 'por', 'fra'], spa: ['por', 'ita', 'fra'], rus: ['ukr', 'bel', 'kaz'],
};

function fromScores(s: Float64Array, how: { kind: 'pow'; p: number } | { kind: 'soft'; T: number } | { kind: 'top'; k: number }, floor = 0): Float64Array {
  const lam = new Float64Array(G);
  let max = -Infinity;
  for (let g = 0; g < G; g++) max = Math.max(max, s[g]!);
  if (how.kind === 'pow') for (let g = 0; g < G; g++) lam[g] = max > 0 ? Math.max(0, s[g]! / max) ** how.p : 1;
  else if (how.kind === 'soft') for (let g = 0; g < G; g++) lam[g] = Math.exp((s[g]! - max) / how.T);
  else {
    const order = [...s.keys()].sort((a, b) => s[b]! - s[a]!);
    for (let r = 0; r < how.k; r++) lam[order[r]!] = 1;
  }
  if (floor > 0) for (let g = 0; g < G; g++) lam[g] = floor + (1 - floor) * lam[g]!;
  return lam;
}

/**
 * Group × group similarity from the training data alone: S[h][g] = mean over h's training texts of
 * the similarity of the text to group g (leave-one-out for g = h), each row divided by its diagonal.
 */
function groupSimilarity(m: Mix, train: number[][], sim: Sim): Float64Array {
  const S = new Float64Array(G * G);
  for (let h = 0; h < G; h++) {
    const rows = train[h]!;
    const step = Math.max(1, Math.floor(rows.length / 150)); // a sample of ~150 texts per group is plenty
    let count = 0;
    for (let r = 0; r < rows.length; r += step) {
      const s = similarities(m, DATA[h]!.vecs[rows[r]!]!, sim, h);
      if (sim === 'lm') {
        // per-text posterior over groups (softmax of log-likelihoods), averaged
        let max = -Infinity; for (let g = 0; g < G; g++) max = Math.max(max, s[g]!);
        let z = 0; for (let g = 0; g < G; g++) { s[g] = Math.exp(s[g]! - max); z += s[g]!; }
        for (let g = 0; g < G; g++) s[g]! /= z;
      }
      for (let g = 0; g < G; g++) S[h * G + g]! += s[g]!;
      count++;
    }
    for (let g = 0; g < G; g++) S[h * G + g]! /= count;
  }
  for (let h = 0; h < G; h++) { const diag = S[h * G + h]!; for (let g = 0; g < G; g++) S[h * G + g]! /= diag; }
  return S;
}

/** λ from the group-group matrix: the text's group ĥ = argmax of its similarity (language id), λ_g = S[ĥ,g]^p (λ_ĥ = 1). */
interface ViaOpts {
  floor?: number;
  /** Keep the top k groups (the text's own included), zero the rest. */
  topk?: number;
  /** Soft language id with this temperature instead of argmax. */
  soft?: number;
  /** Hinge: λ_g = max(0, (S − τ) / (1 − τ))^p. */
  hinge?: number;
  /** Relative cut: keep g ≠ ĥ only if S[ĥ,g] ≥ rel × max_{g'≠ĥ} S[ĥ,g']. */
  rel?: number;
  /** Weight of every kept neighbour (replaces S^p). */
  flat?: number;
}
function viaGroups(simId: Sim, simMat: Sim, p: number, opts: ViaOpts = {}) {
  return (m: Mix, x: Vec, _t: number, ctx: FoldCtx): Float64Array => {
    const s = similarities(m, x, simId);
    const S = ctx.S.get(simMat)!;
    const lam = new Float64Array(G);
    if (opts.soft) {
      // soft language id: π_h ∝ exp((s_h − max)/soft), λ_g = Σ_h π_h S[h,g]^p
      let max = -Infinity; for (let h = 0; h < G; h++) max = Math.max(max, s[h]!);
      let z = 0; const pi = new Float64Array(G);
      for (let h = 0; h < G; h++) { pi[h] = Math.exp((s[h]! - max) / opts.soft); z += pi[h]!; }
      for (let h = 0; h < G; h++) { if (pi[h]! / z < 1e-4) continue; for (let g = 0; g < G; g++) lam[g]! += (pi[h]! / z) * Math.max(0, S[h * G + g]!) ** p; }
      let lmax = 0; for (let g = 0; g < G; g++) lmax = Math.max(lmax, lam[g]!);
      for (let g = 0; g < G; g++) lam[g]! /= lmax;
    } else {
      let h = 0; for (let g = 1; g < G; g++) if (s[g]! > s[h]!) h = g;
      const tau = opts.hinge ?? 0;
      for (let g = 0; g < G; g++) lam[g] = g === h ? 1 : Math.max(0, (Math.min(1, S[h * G + g]!) - tau) / (1 - tau)) ** p;
      if (opts.rel) {
        let best = 0; for (let g = 0; g < G; g++) if (g !== h) best = Math.max(best, S[h * G + g]!);
        for (let g = 0; g < G; g++) if (g !== h && S[h * G + g]! < opts.rel * best) lam[g] = 0;
      }
    }
    if (opts.topk) {
      const order = [...lam.keys()].sort((a, b) => lam[b]! - lam[a]!);
      for (let r = opts.topk; r < G; r++) lam[order[r]!] = 0;
    }
    if (opts.flat !== undefined) for (let g = 0; g < G; g++) if (lam[g]! > 0 && lam[g]! < 1) lam[g] = opts.flat;
    if (opts.floor) for (let g = 0; g < G; g++) lam[g] = opts.floor + (1 - opts.floor) * lam[g]!;
    return lam;
  };
}

const ones = () => new Float64Array(G).fill(1);
const SCHEMES: Scheme[] = [
  { name: 'pooled (λ ≡ 1)', weights: () => ones() },
  { name: 'own only', weights: (_m, _x, t) => { const l = new Float64Array(G); l[t] = 1; return l; } },
  {
    name: 'own + hand-picked related (ref)', weights: (_m, _x, t) => {
      const l = new Float64Array(G); l[t] = 1;
      for (const r of RELATED[ALL[t]!.slice(0, 3)]!) l[idxOf(r)] = 1;
      return l;
    },
  },
  { name: 'own + related, α from own n', weights: (_m, _x, t) => { const l = new Float64Array(G); l[t] = 1; for (const r of RELATED[ALL[t]!.slice(0, 3)]!) l[idxOf(r)] = 1; return l; }, score: { alphaN: 'top' } },
  { name: 'oracle own 1 + others 0.1', weights: (_m, _x, t) => { const l = new Float64Array(G).fill(0.1); l[t] = 1; return l; } },
  { name: 'oracle own 1 + others 0.3', weights: (_m, _x, t) => { const l = new Float64Array(G).fill(0.3); l[t] = 1; return l; } },
  // (a) per-text similarity → weights
  ...[1, 2, 4, 8, 16].map((p): Scheme => ({ name: `text cov^${p}`, weights: (m, x) => fromScores(similarities(m, x, 'cov'), { kind: 'pow', p }) })),
  ...[2, 4, 8, 16].map((p): Scheme => ({ name: `text cos^${p}`, weights: (m, x) => fromScores(similarities(m, x, 'cos'), { kind: 'pow', p }) })),
  ...[0.02, 0.05, 0.1, 0.2].map((T): Scheme => ({ name: `text cov softmax T${T}`, weights: (m, x) => fromScores(similarities(m, x, 'cov'), { kind: 'soft', T }) })),
  ...[1, 3, 10].map((T): Scheme => ({ name: `text lm softmax T${T}`, weights: (m, x) => fromScores(similarities(m, x, 'lm'), { kind: 'soft', T }) })),
  ...[2, 3, 4, 6].map((k): Scheme => ({ name: `text cov top${k}`, weights: (m, x) => fromScores(similarities(m, x, 'cov'), { kind: 'top', k }) })),
  // (b) language id of the text + group-group similarity from the training corpora
  ...[2, 4, 8, 16].map((p): Scheme => ({ name: `grp cov→cov^${p}`, weights: viaGroups('cov', 'cov', p) })),
  ...[2, 4, 8].map((p): Scheme => ({ name: `grp cov→cos^${p}`, weights: viaGroups('cov', 'cos', p) })),
  ...[0.5, 1, 2].map((p): Scheme => ({ name: `grp cov→lm^${p}`, weights: viaGroups('cov', 'lm', p) })),
  ...[3, 4].map((k): Scheme => ({ name: `grp cov→cov top${k}`, weights: viaGroups('cov', 'cov', 1, { topk: k }) })),
  // round 2: sparse support (hard cuts) on the group-group similarity
  ...[2, 3, 4, 5, 6].map((k): Scheme => ({ name: `grp cov→cov top${k} flat1`, weights: viaGroups('cov', 'cov', 1, { topk: k, flat: 1 }) })),
  ...[3, 4, 5].map((k): Scheme => ({ name: `grp cov→cov top${k} flat0.5`, weights: viaGroups('cov', 'cov', 1, { topk: k, flat: 0.5 }) })),
  ...[5, 6].map((k): Scheme => ({ name: `grp cov→cov top${k}`, weights: viaGroups('cov', 'cov', 1, { topk: k }) })),
  ...[3, 4, 5].map((k): Scheme => ({ name: `grp cov→cov^2 top${k}`, weights: viaGroups('cov', 'cov', 2, { topk: k }) })),
  ...[0.4, 0.5, 0.6].map((t): Scheme => ({ name: `grp cov→cov hinge${t}`, weights: viaGroups('cov', 'cov', 1, { hinge: t }) })),
  ...[0.4, 0.5].map((t): Scheme => ({ name: `grp cov→cov hinge${t}^0.5`, weights: viaGroups('cov', 'cov', 0.5, { hinge: t }) })),
  ...[0.7, 0.8, 0.9].map((r): Scheme => ({ name: `grp cov→cov rel${r}`, weights: viaGroups('cov', 'cov', 1, { rel: r }) })),
  ...[0.7, 0.8, 0.9].map((r): Scheme => ({ name: `grp cov→cov rel${r} flat1`, weights: viaGroups('cov', 'cov', 1, { rel: r, flat: 1 }) })),
  ...[3, 4].map((k): Scheme => ({ name: `grp cov→cos top${k}`, weights: viaGroups('cov', 'cos', 1, { topk: k }) })),
  ...[3, 4].map((k): Scheme => ({ name: `grp cov→cov top${k} α-top`, weights: viaGroups('cov', 'cov', 1, { topk: k }), score: { alphaN: 'top' } })),
  ...[3, 4].map((k): Scheme => ({ name: `grp cov→cov top${k} α-max`, weights: viaGroups('cov', 'cov', 1, { topk: k }), score: { alphaN: 'max' } })),
  ...[3, 4].map((k): Scheme => ({ name: `grp cov→cov top${k} soft0.05`, weights: viaGroups('cov', 'cov', 1, { topk: k, soft: 0.05 }) })),
  // round 3: smoothing
  { name: 'pooled α-top (α of one group)', weights: () => ones(), score: { alphaN: 'top' } },
  ...[0.015, 0.05].map((a): Scheme => ({ name: `grp cov→cov top4 α×${a}`, weights: viaGroups('cov', 'cov', 1, { topk: 4 }), score: { alpha: a } })),
];

// ---------- run ----------
interface Result { cells: number[][]; times: number[]; weightTimes: number[] }
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => { const mu = mean(v); return Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1)); };
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

function runAll(schemes: Scheme[], check: boolean): Result[] {
  const results: Result[] = schemes.map(() => ({ cells: TARGETS.map(() => []), times: [], weightTimes: [] }));
  const needS = new Set<Sim>();
  for (const s of schemes) for (const sim of ['cov', 'cos', 'lm'] as Sim[]) if (s.name.includes(`→${sim}`)) needS.add(sim);
  for (let fold = 0; fold < FOLDS; fold++) {
    const t0 = Date.now();
    const train = DATA.map((d) => d.ids.map((id, i) => (foldOf.get(id) !== fold ? i : -1)).filter((i) => i >= 0));
    const m = buildMix(train);
    if (fold === 0) console.error(`  mixture: ${m.grp.length} (feature, group) entries over ${DIMS} features; vocab per group ${Math.min(...m.vocab)}-${Math.max(...m.vocab)}`);
    const ctx: FoldCtx = { S: new Map() };
    for (const sim of needS) ctx.S.set(sim, groupSimilarity(m, train, sim));
    if (fold === 0 && ctx.S.has('cov')) {
      const S = ctx.S.get('cov')!;
      for (const l of FOCUS) { const h = ALL.indexOf(l); console.error(`  S_cov[${l.slice(0, 3)}]: ${[...Array(G).keys()].filter((g) => g !== h).sort((a, b) => S[h * G + b]! - S[h * G + a]!).slice(0, 6).map((g) => `${ALL[g]!.slice(0, 3)} ${S[h * G + g]!.toFixed(2)}`).join(', ')}`); }
    }
    if (fold === 0) {
      // language id by coverage (argmax_g s_cov(x, g)) on the targets' test texts
      let right = 0, total = 0;
      for (const l of TARGETS) {
        const t = ALL.indexOf(l);
        DATA[t]!.ids.forEach((id, i) => {
          if (foldOf.get(id) !== fold) return;
          const s = similarities(m, DATA[t]!.vecs[i]!, 'cov');
          let h = 0; for (let g = 1; g < G; g++) if (s[g]! > s[h]!) h = g;
          total++; if (h === t) right++;
        });
      }
      console.error(`  language id by coverage: ${right}/${total} test texts assigned to their own group`);
    }
    if (check && fold === 0) {
      // sanity: λ ≡ 1 must agree with the library's trainClassifier on the pooled data (int8 rounding aside)
      const examples: { label: string; text: string }[] = [];
      DATA.forEach((d, g) => train[g]!.forEach((i) => examples.push({ label: LABELS[d.y[i]!]!, text: d.texts[i]! })));
      const lib = trainClassifier(examples);
      let agree = 0, total = 0;
      for (const l of FOCUS) {
        const g = ALL.indexOf(l);
        DATA[g]!.ids.forEach((id, i) => {
          if (foldOf.get(id) !== fold) return;
          const zl = scoreVector(lib, extractFeatures(DATA[g]!.texts[i]!, DEFAULT_FEATURES));
          const zm = scoreMix(m, DATA[g]!.vecs[i]!, ones(), { alpha: 0.03, alphaN: 'eff' });
          const al = zl.indexOf(Math.max(...zl)), am = zm.indexOf(Math.max(...zm));
          total++; if (LABELS[am] === lib.labels[al]) agree++;
        });
      }
      console.error(`  check: pooled mixture vs library argmax agreement ${agree}/${total}`);
    }
    schemes.forEach((scheme, si) => {
      const o: ScoreOpts = { alpha: 0.03, alphaN: 'eff', ...scheme.score };
      TARGETS.forEach((l, li) => {
        const t = ALL.indexOf(l);
        const { vecs, y, ids } = DATA[t]!;
        let correct = 0, total = 0;
        ids.forEach((id, i) => {
          if (foldOf.get(id) !== fold) return;
          const x = vecs[i]!;
          const a = process.hrtime.bigint();
          const lam = scheme.weights(m, x, t, ctx);
          const b = process.hrtime.bigint();
          const z = scoreMix(m, x, lam, o);
          results[si]!.times.push(Number(process.hrtime.bigint() - a) / 1e6);
          results[si]!.weightTimes.push(Number(b - a) / 1e6);
          let best = 0; for (let c = 1; c < C; c++) if (z[c]! > z[best]!) best = c;
          total++; if (best === y[i]) correct++;
        });
        results[si]!.cells[li]!.push(correct / total);
      });
    });
    console.error(`  fold ${fold} done ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  return results;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const which = args.filter((a) => !a.startsWith('--'));
  const schemes = SCHEMES.filter((s, i) => i === 0 || which.length === 0 || which.some((w) => (w.startsWith('=') ? s.name === w.slice(1) : s.name.includes(w))));
  const results = runAll(schemes, args.includes('--check'));
  const base = results[0]!.cells.flat();
  console.log(`FOLD_SEED=${SEED}`);
  schemes.forEach((s, si) => {
    const r = results[si]!;
    const flat = r.cells.flat();
    const perLanguage = r.cells.map(mean);
    const d = flat.map((v, i) => v - base[i]!);
    const diff = si === 0 ? '' : `Δ ${(mean(d) * 100).toFixed(2).padStart(6)} ± ${((std(d) / Math.sqrt(d.length)) * 100).toFixed(2)}`;
    console.log(`${(mean(perLanguage) * 100).toFixed(2)} ${diff.padEnd(16)} ${s.name.padEnd(34)} ${perLanguage.map((a, i) => `${TARGETS[i]!.slice(0, 3)} ${(a * 100).toFixed(1)}`).join(' ')}  median ${median(r.times).toFixed(3)} ms (λ ${median(r.weightTimes).toFixed(3)})`);
  });
}
