import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from '../../../runtime/text/lexer.js';
import { DiagnosticSink } from '../../../runtime/text/diagnostics.js';

test('interning: each token keeps its own text, and equal words share one id, past a rehash', () => {
  // Words of every length class the interner treats apart: up to 12 characters (keyed by their
  // packed characters), 13 to 24 (confirmed against the text after the 12th), longer (not interned),
  // and pairs that agree on their first 12 characters and length and differ only after them.
  const words: string[] = [];
  for (let i = 0; i < 3000; i++) {
    words.push(`$n${i}`, `w${i}`, `$twelve_chars${i % 10}X`, `$twelve_chars${i % 10}Y`, `$a_name_of_more_than_24_chars_${i}`);
  }
  const text = `${words.join(' ')}\n${words.join(' ')}`;
  const t = lex(text, new DiagnosticSink()).tokens;
  assert.equal(t.count, words.length * 2);
  for (let i = 0; i < t.count; i++) assert.equal(t.text(i), text.slice(t.starts[i], t.ends[i]));
  const half = words.length;
  const idOf = new Map<string, number>();
  for (let i = 0; i < half; i++) {
    const word = words[i]!;
    if (word.length > 24) continue;
    assert.equal(t.textIds[i], t.textIds[i + half], `second ${word} has the first one's id`);
    const seen = idOf.get(word);
    if (seen !== undefined) assert.equal(t.textIds[i], seen);
    idOf.set(word, t.textIds[i]!);
  }
  assert.equal(new Set(idOf.values()).size, idOf.size, 'different words have different ids');
});
