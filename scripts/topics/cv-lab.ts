/**
 * Model-selection lab for SIB-200: 5-fold cross-validation on the TRAIN splits only (folds by
 * index_id, so a sentence and its translations are always on the same side), for many feature and
 * learner variants. Dev is never read here.
 *
 *   npx tsx scripts/topics/cv-lab.ts [experiment…]
 */
import { hashString } from '../../libs/topics/features';
import { tokenize } from '../../libs/topics/normalize';
import { createRandom, shuffleInPlace } from '../../libs/topics/random';
import { ALL, C, FOCUS, LABELS, foldsBySentence, load, type Row } from './sib-folds';

const foldOf = foldsBySentence(12345);

// ---------- features ----------
export interface Feat {
  charMin: number; charMax: number; word: number; bigram: number; prefix: number; prefixWeight: number; charWeight: number;
  tf: 'log' | 'bin' | 'raw'; idf: boolean; groupNorm: boolean;
}
const BASE: Feat = { charMin: 2, charMax: 6, word: 0.7, bigram: 0.7, prefix: 0, prefixWeight: 0, charWeight: 1, tf: 'log', idf: false, groupNorm: true };
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

type Groups = Map<number, number>[]; // 0 char, 1 word, 2 bigram, 3 prefix
function rawGroups(text: string, f: Feat): Groups {
  const g: Groups = [new Map(), new Map(), new Map(), new Map()];
  const add = (m: Map<number, number>, key: number) => m.set(key, (m.get(key) ?? 0) + 1);
  let previous: string | null = null;
  for (const token of tokenize(text)) {
    if (token.kind !== 'word') { add(g[1]!, hashString(token.text, 7)); previous = token.kind === 'number' ? token.text : null; continue; }
    const w = token.text;
    add(g[1]!, hashString(w, 1));
    if (previous !== null) add(g[2]!, hashString(`${previous} ${w}`, 2));
    previous = w;
    const marked = `\u0002${w}\u0003`;
    const min = UNSPACED.test(w) ? 1 : f.charMin;
    for (let n = min; n <= f.charMax; n++) for (let s = 0; s + n <= marked.length; s++) {
      const gram = marked.substring(s, s + n);
      if (n === 1 && (gram === '\u0002' || gram === '\u0003')) continue;
      add(g[0]!, hashString(gram, 3));
    }
    if (f.prefix > 0 && !UNSPACED.test(w)) add(g[3]!, hashString(w.length > f.prefix ? w.slice(0, f.prefix) : w, 4));
  }
  return g;
}

export interface Vec { idx: Int32Array; val: Float64Array }
/** Builds vectors with dense ids (vocabulary of the whole pool) and optional idf from the train side. */
function vectorize(groups: Groups[], f: Feat, trainMask: boolean[]): { vecs: Vec[]; dims: number } {
  const dict = new Map<number, number>();
  const key = (group: number, h: number) => h * 4 + group; // distinct per group
  const idOf = (k: number) => { let id = dict.get(k); if (id === undefined) { id = dict.size; dict.set(k, id); } return id; };
  const gw = [f.charWeight, f.word, f.bigram, f.prefixWeight];
  // document frequencies from train side
  let df: Map<number, number> | null = null;
  let nTrain = 0;
  if (f.idf) {
    df = new Map();
    groups.forEach((g, i) => { if (!trainMask[i]) return; nTrain++; g.forEach((m, group) => { if (gw[group] === 0) return; for (const h of m.keys()) { const k = key(group, h); df!.set(k, (df!.get(k) ?? 0) + 1); } }); });
  }
  const vecs = groups.map((g) => {
    const entries = new Map<number, number>();
    g.forEach((m, group) => {
      if (gw[group] === 0 || m.size === 0) return;
      const local: [number, number][] = [];
      let norm = 0;
      for (const [h, count] of m) {
        const k = key(group, h);
        let v = f.tf === 'log' ? 1 + Math.log(count) : f.tf === 'bin' ? 1 : count;
        if (df) v *= Math.log((1 + nTrain) / (1 + (df.get(k) ?? 0))) + 1;
        local.push([k, v]);
        norm += v * v;
      }
      const scale = f.groupNorm ? gw[group]! / Math.sqrt(norm) : gw[group]!;
      for (const [k, v] of local) { const id = idOf(k); entries.set(id, (entries.get(id) ?? 0) + v * scale); }
    });
    const idx = Int32Array.from([...entries.keys()].sort((a, b) => a - b));
    const val = new Float64Array(idx.length);
    let norm = 0;
    idx.forEach((id, i) => { val[i] = entries.get(id)!; norm += val[i]! ** 2; });
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < val.length; i++) val[i]! *= s;
    return { idx, val };
  });
  return { vecs, dims: dict.size };
}

// ---------- learners ----------
export interface Learn {
  kind: 'nb' | 'lr' | 'nblr' | 'nb+lr' | 'knn' | 'cnb';
  k: number; power: number; temp: number; weight: number;
  alpha: number; prior: 'uniform' | 'empirical' | number; // number = power of empirical prior
  l2: number; epochs: number; rate: number; balance: boolean; seed: number; beta: number; nbMix: number;
}
const LEARN: Learn = { kind: 'nb', alpha: 0.01, prior: 'uniform', l2: 1e-4, epochs: 20, rate: 0.5, balance: true, seed: 1, beta: 1, nbMix: 1, k: 10, power: 1, temp: 1, weight: 1 };

interface Model { W: Float64Array; b: Float64Array; knn?: { X: Vec[]; y: number[]; L: Learn } }
function classWeights(y: number[], balance: boolean, sw: number[]): number[] {
  const counts = new Array(C).fill(0);
  y.forEach((c, i) => (counts[c] += sw[i]!));
  const total = counts.reduce((a, b) => a + b, 0);
  return y.map((c, i) => (balance ? total / (C * counts[c]) : 1) * sw[i]!);
}
function priorBias(y: number[], prior: Learn['prior']): Float64Array {
  const b = new Float64Array(C);
  if (prior === 'uniform') return b;
  const counts = new Array(C).fill(0);
  for (const c of y) counts[c]++;
  const power = prior === 'empirical' ? 1 : prior;
  for (let c = 0; c < C; c++) b[c] = power * Math.log(counts[c] / y.length);
  return b;
}
function trainNB(X: Vec[], y: number[], w: number[], dims: number, alpha: number): Model {
  const counts = new Float64Array(dims * C);
  const totals = new Float64Array(C);
  const seen = new Uint8Array(dims);
  X.forEach((x, i) => { for (let k = 0; k < x.idx.length; k++) { counts[x.idx[k]! * C + y[i]!]! += w[i]! * x.val[k]!; totals[y[i]!]! += w[i]! * x.val[k]!; seen[x.idx[k]!] = 1; } });
  let vocab = 0; for (let d = 0; d < dims; d++) vocab += seen[d]!;
  const W = new Float64Array(dims * C);
  for (let d = 0; d < dims; d++) {
    if (!seen[d]) continue;
    let mean = 0;
    for (let c = 0; c < C; c++) { const v = Math.log(counts[d * C + c]! + alpha) - Math.log(totals[c]! + alpha * vocab); W[d * C + c] = v; mean += v; }
    for (let c = 0; c < C; c++) W[d * C + c]! -= mean / C;
  }
  return { W, b: new Float64Array(C) };
}
function softmax(z: Float64Array): void { let m = -Infinity; for (const v of z) m = Math.max(m, v); let s = 0; for (let c = 0; c < z.length; c++) { z[c] = Math.exp(z[c]! - m); s += z[c]!; } for (let c = 0; c < z.length; c++) z[c]! /= s; }
/** Multinomial LR by SGD, scaled-weight L2, on (optionally) per-feature-per-class scaled inputs R. */
function trainLR(X: Vec[], y: number[], w: number[], dims: number, L: Learn, R?: Float64Array): Model {
  const random = createRandom(L.seed);
  const W = new Float64Array(dims * C);
  const b = new Float64Array(C);
  const z = new Float64Array(C);
  let scale = 1; let step = 0;
  const order = X.map((_, i) => i);
  for (let e = 0; e < L.epochs; e++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = X[i]!;
      const rate = L.rate / (1 + L.rate * L.l2 * step++);
      z.set(b);
      for (let k = 0; k < x.idx.length; k++) { const base = x.idx[k]! * C; const v = x.val[k]! * scale; for (let c = 0; c < C; c++) z[c]! += v * W[base + c]! * (R ? R[base + c]! : 1); }
      softmax(z);
      scale *= 1 - rate * L.l2;
      for (let c = 0; c < C; c++) { const g = w[i]! * (z[c]! - (c === y[i] ? 1 : 0)); z[c] = g; b[c]! -= rate * g; }
      const ss = rate / scale;
      for (let k = 0; k < x.idx.length; k++) { const base = x.idx[k]! * C; const v = x.val[k]! * ss; for (let c = 0; c < C; c++) W[base + c]! -= v * z[c]! * (R ? R[base + c]! : 1); }
      if (scale < 1e-6) { for (let j = 0; j < W.length; j++) W[j]! *= scale; scale = 1; }
    }
  }
  for (let j = 0; j < W.length; j++) W[j]! *= scale;
  if (R) for (let j = 0; j < W.length; j++) W[j]! *= R[j]!;
  return { W, b };
}
function train(X: Vec[], y: number[], sw: number[], dims: number, L: Learn): Model {
  const w = classWeights(y, L.balance, sw);
  let model: Model;
  if (L.kind === 'knn') return { W: new Float64Array(0), b: new Float64Array(C), knn: { X, y, L } };
  if (L.kind === 'cnb') {
    // complement NB (Rennie 2003), weight-normalised
    const alpha = L.alpha * (X.length / 1000) ** 0.75;
    const counts = new Float64Array(dims * C); const totals = new Float64Array(C); const all = new Float64Array(dims); let grand = 0;
    X.forEach((x, i) => { for (let k = 0; k < x.idx.length; k++) { const v = w[i]! * x.val[k]!; counts[x.idx[k]! * C + y[i]!]! += v; totals[y[i]!]! += v; all[x.idx[k]!]! += v; grand += v; } });
    let vocab = 0; for (let d = 0; d < dims; d++) if (all[d]! > 0) vocab++;
    const W = new Float64Array(dims * C);
    for (let d = 0; d < dims; d++) { if (all[d] === 0) continue; for (let c = 0; c < C; c++) W[d * C + c] = -(Math.log(all[d]! - counts[d * C + c]! + alpha) - Math.log(grand - totals[c]! + alpha * vocab)); }
    model = { W, b: new Float64Array(C) };
  } else if (L.kind === 'nb') {
    const alpha = L.alpha * (X.length / 1000) ** 0.75;
    model = trainNB(X, y, w, dims, alpha);
  } else if (L.kind === 'lr') model = trainLR(X, y, w, dims, L);
  else if (L.kind === 'nb+lr') {
    const nb = trainNB(X, y, w, dims, L.alpha * (X.length / 1000) ** 0.75);
    const lr = trainLR(X, y, w, dims, L);
    for (let j = 0; j < lr.W.length; j++) lr.W[j] = lr.W[j]! + L.nbMix * nb.W[j]!;
    model = lr;
  } else {
    // NB-LR: inputs scaled per class by |NB log-ratio| (multiclass: centred NB log-probs), LR on top.
    const nb = trainNB(X, y, w, dims, L.alpha * (X.length / 1000) ** 0.75);
    const R = new Float64Array(nb.W.length);
    for (let j = 0; j < R.length; j++) R[j] = (1 - L.beta) + L.beta * Math.abs(nb.W[j]!);
    model = trainLR(X, y, w, dims, L, R);
  }
  const pb = priorBias(y, L.prior);
  for (let c = 0; c < C; c++) model.b[c]! += pb[c]!;
  return model;
}
function dot(a: Vec, b: Vec): number { let i = 0, j = 0, s = 0; while (i < a.idx.length && j < b.idx.length) { if (a.idx[i]! === b.idx[j]!) s += a.val[i++]! * b.val[j++]!; else if (a.idx[i]! < b.idx[j]!) i++; else j++; } return s; }
function scores(m: Model, x: Vec): Float64Array {
  if (m.knn) {
    const { X, y, L } = m.knn;
    const sims = X.map((t, i) => [dot(t, x), y[i]!] as const).sort((a, b) => b[0] - a[0]).slice(0, L.k);
    const z = new Float64Array(C).fill(1e-3);
    for (const [s, c] of sims) z[c]! += Math.max(s, 0) ** L.power;
    for (let c = 0; c < C; c++) z[c] = Math.log(z[c]!) * L.temp;
    return z;
  }
  const z = Float64Array.from(m.b);
  for (let k = 0; k < x.idx.length; k++) { const base = x.idx[k]! * C; for (let c = 0; c < C; c++) z[c]! += x.val[k]! * m.W[base + c]!; }
  return z;
}

// ---------- CV ----------
export interface Exp { name: string; f: Partial<Feat>; l: Partial<Learn>; extra?: Record<string, string[]>; extraWeight?: number; ensemble?: Partial<Learn>[] }
const groupCache = new Map<string, Groups[]>();
function groupsFor(language: string, f: Feat): Groups[] {
  const k = `${language}|${f.charMin}|${f.charMax}|${f.prefix}`;
  let g = groupCache.get(k);
  if (!g) { g = load(language).map((row) => rawGroups(row.text, f)); groupCache.set(k, g); }
  return g;
}
export function cv(exp: Exp, languages = FOCUS): { mean: number; per: Record<string, number> } {
  const f = { ...BASE, ...exp.f };
  const per: Record<string, number> = {};
  for (const language of languages) {
    const rows = load(language);
    const extras = exp.extra?.[language] ?? [];
    const pool: { row: Row; groups: Groups; own: boolean }[] = rows.map((row, i) => ({ row, groups: groupsFor(language, f)[i]!, own: true }));
    for (const other of extras) load(other).forEach((row, i) => pool.push({ row, groups: groupsFor(other, f)[i]!, own: false }));
    let correct = 0;
    for (let fold = 0; fold < 5; fold++) {
      const trainMask = pool.map((p) => foldOf.get(p.row.id) !== fold);
      const { vecs, dims } = vectorize(pool.map((p) => p.groups), f, trainMask);
      const Xtr: Vec[] = []; const ytr: number[] = []; const sw: number[] = [];
      pool.forEach((p, i) => { if (trainMask[i]) { Xtr.push(vecs[i]!); ytr.push(p.row.y); sw.push(p.own ? 1 : exp.extraWeight ?? 1); } });
      const learners = exp.ensemble ?? [exp.l];
      const models = learners.map((l) => train(Xtr, ytr, sw, dims, { ...LEARN, ...exp.l, ...l }));
      pool.forEach((p, i) => {
        if (trainMask[i] || !p.own) return;
        const total = new Float64Array(C);
        models.forEach((m, j) => { const z = scores(m, vecs[i]!); softmax(z); const wt = { ...LEARN, ...exp.l, ...learners[j] }.weight; for (let c = 0; c < C; c++) total[c]! += wt * Math.log(z[c]! + 1e-12); });
        let best = 0; for (let c = 1; c < C; c++) if (total[c]! > total[best]!) best = c;
        if (best === p.row.y) correct++;
      });
    }
    per[language] = correct / rows.length;
  }
  const mean = Object.values(per).reduce((a, b) => a + b, 0) / languages.length;
  return { mean, per };
}

export function report(exp: Exp, languages = FOCUS): number {
  const started = Date.now();
  const { mean, per } = cv(exp, languages);
  console.log(`${(mean * 100).toFixed(2)}  ${exp.name.padEnd(50)} ${Object.entries(per).map(([l, a]) => `${l.slice(0, 3)} ${(a * 100).toFixed(1)}`).join(' ')}  (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  return mean;
}
export { ALL, FOCUS };

if (require.main === module) {
  const which = process.argv.slice(2);
  const exps: Exp[] = [
    { name: 'baseline nb', f: {}, l: {} },
    { name: 'nb empirical prior', f: {}, l: { prior: 'empirical' } },
    { name: 'nb prior^0.5', f: {}, l: { prior: 0.5 } },
    { name: 'lr', f: {}, l: { kind: 'lr' } },
    { name: 'lr unbalanced', f: {}, l: { kind: 'lr', balance: false } },
    { name: 'nblr', f: {}, l: { kind: 'nblr' } },
  ];
  for (const exp of exps) if (which.length === 0 || which.some((w) => exp.name.includes(w))) report(exp);
}

/** The same folds through the library itself (trainClassifier with its defaults + predictLabel). */
export function cvLibrary(options: Partial<import('../../libs/topics/classifier').TrainOptions> = {}, extra: Record<string, string[]> = {}, languages = FOCUS): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { trainClassifier } = require('../../libs/topics/classifier') as typeof import('../../libs/topics/classifier');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { predictLabel } = require('../../libs/topics/topic-model') as typeof import('../../libs/topics/topic-model');
  const per: string[] = [];
  let sum = 0;
  for (const language of languages) {
    const rows = load(language);
    const pool = [...rows, ...(extra[language] ?? []).flatMap((other) => load(other))];
    let correct = 0;
    for (let fold = 0; fold < 5; fold++) {
      const model = trainClassifier(pool.filter((row) => foldOf.get(row.id) !== fold).map((row) => ({ label: LABELS[row.y]!, text: row.text })), options);
      for (const row of rows) if (foldOf.get(row.id) === fold && predictLabel(model, row.text) === LABELS[row.y]) correct++;
    }
    sum += correct / rows.length;
    per.push(`${language.slice(0, 3)} ${((correct / rows.length) * 100).toFixed(1)}`);
  }
  console.log(`${((sum / languages.length) * 100).toFixed(2)}  library ${JSON.stringify(options).slice(0, 60)} ${Object.keys(extra).length ? '+related' : ''} ${per.join(' ')}`);
  return sum / languages.length;
}
