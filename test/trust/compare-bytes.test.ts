/** `compareBytes` orders strings exactly as their UTF-8 bytes, without encoding them when it can. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../src/trust/bytes.js';

function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// Paths mixing ASCII, CJK, U+E000–U+FFFF (above the surrogates in UTF-16, below them in code points), astral characters and lone surrogates.
const unit = fc.constantFrom('a', 'z', '/', '-', '中', '文', '\uE000', '\uFF5E', '\uFFFD', '😀', '𠀀', '\uD83D', '\uDE00', '\u00E9');
const path = fc.array(unit, { maxLength: 8 }).map((parts) => parts.join(''));

describe('compareBytes', () => {
  it('has the sign of the UTF-8 byte comparison, for any two strings', () => {
    fc.assert(
      fc.property(path, path, (a, b) => {
        expect(Math.sign(compareBytes(a, b))).toBe(Math.sign(compareUtf8(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('sorts astral characters after U+E000–U+FFFF, as UTF-8 does (UTF-16 units would not)', () => {
    expect(['😀', '\uFF5E', 'a', '\uE000'].sort(compareBytes)).toEqual(['a', '\uE000', '\uFF5E', '😀']);
  });
});
