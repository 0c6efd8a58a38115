/**
 * The extension checks signatures with the trust core only (one protocol, not
 * two): its import closure holds its own files and `src/trust/`, and no package
 * but the trust core's (@noble, zod). No Node modules, no builder, no verify.
 */
import { describe, expect, it } from 'vitest';
import { collectClosure, listSourceFiles } from '../trust/imports.js';

describe('extension/ imports', () => {
  it('only its own files and src/trust, and no package but @noble and zod', () => {
    const { files, packages } = collectClosure(listSourceFiles('extension/src'));
    expect([...files].filter((f) => !f.startsWith('extension/src/') && !f.startsWith('src/trust/'))).toEqual([]);
    expect([...files].some((f) => f.startsWith('src/trust/'))).toBe(true);
    expect([...packages].filter((p) => !/^(@noble\/(hashes|curves)(\/|$)|zod(\/|$))/.test(p))).toEqual([]);
  });
});
