import { describe, expect, it } from 'vitest';
import { formatText } from './index';

const knownUser = (id: number) => (id === 42 ? { id: 42, is_bot: false, first_name: 'Ann' } : undefined);
const format = (text: string, mode?: string) => formatText(text, mode, undefined, knownUser);

describe('MarkdownV2', () => {
  it('parses the documented entities with UTF-16 offsets', () => {
    expect(format('*bold* _it_ __under__ ~gone~ ||spoil|| `co\\`de` [link](https://e.com/a\\)b) 🚀 \\. done', 'MarkdownV2')).toEqual({
      text: 'bold it under gone spoil co`de link 🚀 . done',
      entities: [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'italic', offset: 5, length: 2 },
        { type: 'underline', offset: 8, length: 5 },
        { type: 'strikethrough', offset: 14, length: 4 },
        { type: 'spoiler', offset: 19, length: 5 },
        { type: 'code', offset: 25, length: 5 },
        { type: 'text_link', offset: 31, length: 4, url: 'https://e.com/a)b' },
      ],
    });
  });

  it('parses pre with a language, quotes and mentions of known users', () => {
    expect(format('```js\nx = 1\n```\n>quoted\n[Ann](tg://user?id=42)', 'MarkdownV2')).toEqual({
      text: 'x = 1\n\nquoted\nAnn',
      entities: [
        { type: 'pre', offset: 0, length: 6, language: 'js' },
        { type: 'blockquote', offset: 7, length: 6 },
        { type: 'text_mention', offset: 14, length: 3, user: { id: 42, is_bot: false, first_name: 'Ann' } },
      ],
    });
  });

  it('rejects unclosed entities with the byte offset', () => {
    expect(() => format('héllo *world', 'MarkdownV2')).toThrow("Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 7");
  });
});

describe('HTML', () => {
  it('parses tags, nested pre/code languages and entities', () => {
    expect(format('<b>a <i>b</i></b> &lt;x&gt; <a href="https://e.com?a=1&amp;b=2">l</a> <pre><code class="language-py">p</code></pre>', 'HTML')).toEqual({
      text: 'a b <x> l p',
      entities: [
        { type: 'bold', offset: 0, length: 3 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'text_link', offset: 8, length: 1, url: 'https://e.com?a=1&b=2' },
        { type: 'pre', offset: 10, length: 1, language: 'py' },
      ],
    });
  });

  it('rejects mismatched tags', () => {
    expect(() => format('<b>x</i>', 'HTML')).toThrow(/^Bad Request: can't parse entities: Unmatched end tag/);
  });
});
