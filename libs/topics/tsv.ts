/**
 * Reading labelled corpora: TSV with a header; `category` and `text` columns found by name, and an
 * optional `index_id` (or `id`) column naming the example across translations of one corpus.
 */
import type { LabelledText } from './classifier';

export class CorpusFormatError extends Error {}

export function parseLabelledTsv(content: string, source = 'input'): LabelledText[] {
  const lines = content.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((name) => name.trim().toLowerCase());
  const isHeader = (cells: string[]) => cells.length === header.length && cells.every((cell, index) => cell.trim().toLowerCase() === header[index]);
  const categoryColumn = header.indexOf('category');
  const textColumn = header.indexOf('text');
  const idColumn = ['index_id', 'id'].map((name) => header.indexOf(name)).find((column) => column >= 0) ?? -1;
  if (categoryColumn < 0 || textColumn < 0) {
    throw new CorpusFormatError(`${source}: the header must name a "category" and a "text" column`);
  }
  const examples: LabelledText[] = [];
  for (let lineNumber = 1; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber]!;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    // The header again, where several corpora were concatenated into one file.
    if (isHeader(cells)) continue;
    const label = cells[categoryColumn]?.trim();
    const text = cells[textColumn];
    if (!label || text === undefined) {
      throw new CorpusFormatError(`${source}:${lineNumber + 1}: missing category or text`);
    }
    const id = idColumn >= 0 ? cells[idColumn]?.trim() : undefined;
    // Literal "\n" in a cell stands for a line break inside a post.
    examples.push({ label, text: text.replace(/\\n/g, '\n'), ...(id ? { id } : {}) });
  }
  return examples;
}
