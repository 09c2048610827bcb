/**
 * Word-shape features for SIB-200 (train splits only, 5 folds by index_id, three fold partitions):
 * capitalised words after the first (place and person names), acronyms, years, other numbers and
 * percentages, as one extra L2-normalised group at weight w beside the library's features.
 *
 *   W=0,0.2,0.4,0.7 npx tsx scripts/topics/shape-lab.ts
 *
 * Outcome (BENCHMARKS.md, Topics): within ±0.1 of the default at every weight.
 */
import { trainClassifier, scoreVector, DEFAULT_FEATURES, featurizeAll } from '../../libs/topics/classifier';
import { hashString, type SparseVector } from '../../libs/topics/features';
import { FOCUS, LABELS, foldsBySentence, load } from './sib-folds';
const mask = (1 << DEFAULT_FEATURES.hashBits) - 1;
function shapes(text: string): string[] {
  const out: string[] = [];
  const words = text.split(/\s+/);
  words.forEach((w, i) => {
    const m = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!m) return;
    if (i > 0 && /^\p{Lu}\p{Ll}/u.test(m)) out.push('CAP');
    if (/^\p{Lu}{2,}$/u.test(m)) out.push('ACR');
    if (/^(1[5-9]|20)\d\d$/.test(m)) out.push('YEAR');
    else if (/^\d/.test(m)) out.push('NUM');
    if (/%/.test(w)) out.push('PCT');
  });
  return out;
}
function augment(v: SparseVector, text: string, w: number): SparseVector {
  if (w === 0) return v;
  const m = new Map<number, number>(); v.indices.forEach((ix, k) => m.set(ix, v.values[k]!));
  const counts = new Map<string, number>(); for (const s of shapes(text)) counts.set(s, (counts.get(s) ?? 0) + 1);
  let norm = 0; for (const c of counts.values()) norm += (1 + Math.log(c)) ** 2; norm = Math.sqrt(norm) || 1;
  for (const [s, c] of counts) { const b = hashString(`shape:${s}`, 777) & mask; m.set(b, (m.get(b) ?? 0) + w * (1 + Math.log(c)) / norm); }
  const idx = Int32Array.from([...m.keys()].sort((a, b) => a - b));
  return { indices: idx, values: Float32Array.from([...idx].map((i) => m.get(i)!)) };
}
const ws = (process.env.W ?? '0,0.2,0.4,0.7').split(',').map(Number);
for (const seed of [12345, 777, 2024]) {
  const foldOf = foldsBySentence(seed);
  const res = ws.map(() => 0); let N = 0;
  for (const lang of FOCUS) {
    const rows = load(lang);
    const base = featurizeAll(rows.map((r) => r.text), DEFAULT_FEATURES);
    ws.forEach((w, wi) => {
      const vecs = base.map((v, i) => augment(v, rows[i]!.text, w));
      for (let f = 0; f < 5; f++) {
        const tr = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) !== f);
        const te = rows.map((_, i) => i).filter((i) => foldOf.get(rows[i]!.id) === f);
        const m = trainClassifier(tr.map((i) => ({ label: LABELS[rows[i]!.y]!, text: '' })), {}, tr.map((i) => vecs[i]!));
        for (const i of te) { const s = scoreVector(m, vecs[i]!); let b = 0; for (let c = 1; c < s.length; c++) if (s[c]! > s[b]!) b = c; if (m.labels[b] === LABELS[rows[i]!.y]) res[wi]++; }
      }
    });
    N += rows.length;
  }
  console.log(seed, ws.map((w, i) => `w${w}: ${(100 * res[i]! / N).toFixed(2)}`).join('  '));
}
