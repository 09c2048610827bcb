/**
 * The topic engine's command line (wired as `npm run topics -- …`):
 *
 *   train --data F.tsv[,F2.tsv…] --out DIR|FILE.gz    train on labelled TSV (header with category, text)
 *   eval --train A.tsv[,A2.tsv…] --test B.tsv          train, then score; last line is JSON
 *   classify [--json] [--model PATH] "text"            classify with the shipped model
 *   classify [--json] [--model PATH] --file F          one text per line, one result line each
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  classifyText,
  extractFeatures,
  groupByLanguage,
  loadLanguageIdentifier,
  loadTopicModel,
  MODEL_FILE_NAME,
  parseLabelledTsv,
  predictLabel,
  scorePredictions,
  mixesGroups,
  serializeTopicModel,
  trainTopicClassifier,
  type LanguageIdentifier,
  type TextClassification,
  type TrainingGroup,
} from '../../libs/topics';
import { SHIPPED_MODEL_PATH } from '../../libs/topics/shipped';

class UsageError extends Error {}

const USAGE = `usage:
  topics train --data F.tsv[,F2.tsv…] --out DIR|FILE.gz
  topics eval --train A.tsv[,A2.tsv…] --test B.tsv
  topics classify [--json] [--model PATH] "text" | --file F`;

interface ParsedArgs {
  command: string;
  flags: Map<string, string | true>;
  positional: string[];
}

function parseArgs(argv: string[]): ParsedArgs {
  const [command = '', ...rest] = argv;
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--json') flags.set('json', true);
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else positional.push(arg);
  }
  return { command, flags, positional };
}

function requireFlag(args: ParsedArgs, name: string): string {
  const value = args.flags.get(name);
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function readFiles(list: string): TrainingGroup[] {
  return list
    .split(',')
    .filter(Boolean)
    .map((file) => ({ name: basename(file), examples: parseLabelledTsv(readFileSync(file, 'utf8'), file) }));
}

/**
 * The training groups: one per language, whatever files hold them (corpora.ts). Parallel groups are
 * mixed per text (grouped.ts), others pooled.
 */
async function readTrainingGroups(list: string): Promise<TrainingGroup[]> {
  const files = readFiles(list);
  const texts = files.reduce((sum, file) => sum + file.examples.length, 0);
  let identifier: LanguageIdentifier;
  try {
    identifier = await loadLanguageIdentifier();
  } catch (error) {
    console.log(`language identifier unavailable (${error instanceof Error ? error.message : String(error)}): one group per file`);
    return files;
  }
  const { groups, splitFiles, moved } = groupByLanguage(files, identifier);
  const split = splitFiles.length ? `; split by language: ${splitFiles.join(', ')} (${moved} texts placed by their words, not their first language guess)` : '';
  const how = mixesGroups(groups) ? ', parallel: each text weighs the languages closest to its own' : groups.length > 1 ? ', pooled' : '';
  console.log(`training on ${texts} texts from ${files.length} file(s) in ${groups.length} language group(s)${split}${how}…`);
  return groups;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function train(args: ParsedArgs): Promise<void> {
  const out = requireFlag(args, 'out');
  const file = out.endsWith('.gz') ? out : join(out, MODEL_FILE_NAME);
  const started = Date.now();
  const groups = await readTrainingGroups(requireFlag(args, 'data'));
  const model = trainTopicClassifier(groups);
  const bytes = serializeTopicModel(model, { examples: groups.reduce((sum, group) => sum + group.examples.length, 0) });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  console.log(`wrote ${file} (${(bytes.length / 1024).toFixed(0)} KiB, ${model.labels.length} labels) in ${Date.now() - started} ms`);
}

async function evaluate(args: ParsedArgs): Promise<void> {
  const trainFiles = requireFlag(args, 'train');
  const testFile = requireFlag(args, 'test');
  const tests = readFiles(testFile).flatMap((group) => group.examples);
  const groups = await readTrainingGroups(trainFiles);
  const started = Date.now();
  const model = trainTopicClassifier(groups);
  console.log(`trained in ${Date.now() - started} ms; classifying ${tests.length} texts…`);
  for (let i = 0; i < Math.min(50, tests.length); i++) extractFeatures(tests[i]!.text, model.features); // warm-up
  const timings: number[] = [];
  const predicted = tests.map((example) => {
    const start = process.hrtime.bigint();
    const label = predictLabel(model, example.text);
    timings.push(Number(process.hrtime.bigint() - start) / 1e6);
    return label;
  });
  const scores = scorePredictions(tests.map((example) => example.label), predicted);
  console.log(
    JSON.stringify({
      accuracy: round(scores.accuracy, 4),
      macroF1: round(scores.macroF1, 4),
      n: scores.n,
      msPerText: round(median(timings), 4),
    }),
  );
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function present(result: TextClassification): object {
  return {
    language: result.language,
    topics: result.topics.map((entry) => ({ topic: entry.topic, score: round(entry.score, 3) })),
    brandSafety: result.brandSafety.map((entry) => ({ category: entry.category, score: round(entry.score, 3) })),
  };
}

function describe(result: TextClassification): string {
  const topics = result.topics
    .slice(0, 3)
    .map((entry) => `${entry.topic} ${entry.score.toFixed(2)}`)
    .join(', ');
  const flags = result.brandSafety.filter((entry) => entry.score >= 0.15);
  const safety = flags.length ? flags.map((entry) => `${entry.category} ${entry.score.toFixed(2)}`).join(', ') : 'none';
  return `language: ${result.language ?? 'unknown'} | topics: ${topics} | brand safety: ${safety}`;
}

async function classify(args: ParsedArgs): Promise<void> {
  const model = loadTopicModel((args.flags.get('model') as string | undefined) ?? SHIPPED_MODEL_PATH);
  let languageIdentifier: LanguageIdentifier | undefined;
  try {
    languageIdentifier = await loadLanguageIdentifier();
  } catch {
    languageIdentifier = undefined; // the script-based fallback still names obvious languages
  }
  const file = args.flags.get('file');
  const texts = typeof file === 'string' ? readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '') : [args.positional.join(' ')];
  if (texts.length === 0 || (typeof file !== 'string' && texts[0]!.trim() === '' && args.positional.length === 0)) {
    throw new UsageError('classify needs a text or --file');
  }
  const json = args.flags.get('json') === true;
  for (const text of texts) {
    const result = classifyText(model, text, { languageIdentifier });
    console.log(json ? JSON.stringify(present(result)) : describe(result));
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  switch (args.command) {
    case 'train':
      return train(args);
    case 'eval':
      return evaluate(args);
    case 'classify':
      return classify(args);
    default:
      throw new UsageError(args.command ? `unknown command "${args.command}"` : 'no command given');
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
});
