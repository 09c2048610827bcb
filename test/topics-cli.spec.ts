/**
 * The topic engine's command line as CONTRACT.md describes it (`npm run topics -- train|eval|classify`),
 * run as a real process on small corpora in two languages.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

async function topics(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['--conditions=placard-source', join(root, 'scripts/topics/cli.ts'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lastLine = (output: string) => output.trim().split('\n').at(-1)!;

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'placard-topics-cli-'));
  const tsv = (rows: [string, string][]) => `index_id\tcategory\ttext\n${rows.map(([label, text], i) => `${i}\t${label}\t${text}`).join('\n')}\n`;
  writeFileSync(
    file('en.tsv'),
    tsv([
      ['sports', 'the match ended two nil'],
      ['sports', 'great goal in the football match'],
      ['sports', 'the team won the cup final'],
      ['food', 'bake the bread for forty minutes'],
      ['food', 'a recipe for tomato soup'],
      ['food', 'fry the onions then add garlic'],
    ]),
  );
  writeFileSync(
    file('ru.tsv'),
    tsv([
      ['sports', 'матч закончился со счётом два ноль'],
      ['sports', 'отличный гол в футбольном матче'],
      ['sports', 'команда выиграла финал кубка'],
      ['food', 'выпекайте хлеб сорок минут'],
      ['food', 'рецепт томатного супа'],
      ['food', 'обжарьте лук и добавьте чеснок'],
    ]),
  );
  writeFileSync(
    file('test.tsv'),
    tsv([
      ['sports', 'who won the football final?'],
      ['food', 'soup recipe with garlic'],
      ['sports', 'кто выиграл финал кубка?'],
      ['food', 'рецепт супа с чесноком'],
    ]),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run topics', () => {
  it('eval trains on several parallel files, mixing them per text, and ends with the JSON line', async () => {
    const result = await topics('eval', '--train', `${file('en.tsv')},${file('ru.tsv')}`, '--test', file('test.tsv'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('from 2 file(s) in 2 language group(s), parallel: each text weighs the languages closest to its own');
    const scores = JSON.parse(lastLine(result.stdout)) as { accuracy: number; macroF1: number; n: number; msPerText: number };
    expect(scores).toEqual({ accuracy: 1, macroF1: 1, n: 4, msPerText: expect.any(Number) });
    expect(scores.msPerText).toBeGreaterThan(0);
  });

  it('eval splits one file that concatenates both languages into the same two groups', async () => {
    const both = readFileSync(file('ru.tsv'), 'utf8') + readFileSync(file('en.tsv'), 'utf8');
    writeFileSync(file('both.tsv'), both);
    const result = await topics('eval', '--train', file('both.tsv'), '--test', file('test.tsv'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('from 1 file(s) in 2 language group(s); split by language: both.tsv');
    expect(result.stdout).toContain('parallel');
    expect(JSON.parse(lastLine(result.stdout))).toMatchObject({ accuracy: 1, n: 4 });
  });

  it('train writes a model that classify --model uses', async () => {
    const trained = await topics('train', '--data', `${file('en.tsv')},${file('ru.tsv')}`, '--out', file('model'));
    expect(trained.code).toBe(0);
    const classified = await topics('classify', '--json', '--model', file('model'), 'отличный футбольный матч');
    expect(classified.code).toBe(0);
    const result = JSON.parse(lastLine(classified.stdout)) as { topics: { topic: string; score: number }[] };
    expect(result.topics[0]!.topic).toBe('sports');
    expect(result.topics.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 2);
  });

  it('rejects a missing flag with the usage (exit 2) and an unreadable file with its error (exit 1)', async () => {
    const missing = await topics('eval', '--train', file('en.tsv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--test is required');
    const unreadable = await topics('eval', '--train', file('nope.tsv'), '--test', file('test.tsv'));
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain('nope.tsv');
  });
});
