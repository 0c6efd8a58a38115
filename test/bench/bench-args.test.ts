import { describe, expect, it } from 'vitest';
import { EDIT_SENTENCE, insertEditSentence, parseBenchArgs } from '../../bench/run.js';
import { computeScaleFit, formatScaleResult } from '../../bench/scale.js';

describe('npm run bench: options and helpers', () => {
  it('parses sizes, switches and the scale study', () => {
    const quick = parseBenchArgs(['--quick', '--no-hugo'], {});
    expect(quick).toMatchObject({ quick: true, posts: 100, devPosts: 50, hugo: false, seal: true, verify: true, scaleSizes: undefined });
    const custom = parseBenchArgs(['--posts=1000', '--words', '500', '--no-seal', '--repeats', '2'], {});
    expect(custom).toMatchObject({ posts: 1000, words: 500, repeats: 2, seal: false, verify: false });
    expect(parseBenchArgs(['--no-verify'], { STELE_BENCH_POSTS: '40' })).toMatchObject({ posts: 40, verify: false });
    expect(parseBenchArgs(['--scale', '--posts', '200'], {}).scaleSizes).toEqual([200, 1000]);
    expect(parseBenchArgs(['--scale', '--scale-sizes', '5000,1000'], {}).scaleSizes).toEqual([1000, 5000]);
    expect(parseBenchArgs(['--scale', '--scale-sizes', '300'], {}).scaleSizes).toEqual([4000, 20000]);
  });

  it('inserts the edit sentence as the first paragraph of the body, front matter untouched', () => {
    const post = '---\ntitle: "A"\ndate: 2015-01-01\n---\n\nFirst paragraph.\n';
    const edited = insertEditSentence(post);
    expect(edited).toBe(`---\ntitle: "A"\ndate: 2015-01-01\n---\n\n${EDIT_SENTENCE}\n\nFirst paragraph.\n`);
    expect(() => insertEditSentence('no front matter')).toThrow();
  });

  it('fits the scale line through the smallest and largest size', () => {
    const fit = computeScaleFit([
      { postPairs: 1000, pages: 0, wallMs: 10_000, cpuMs: 12_000, peakRssMiB: 400, stages: {} },
      { postPairs: 5000, pages: 0, wallMs: 50_000, cpuMs: 60_000, peakRssMiB: 800, stages: {} },
    ]);
    expect(fit.slope.wallMsPerPair).toBe(10);
    expect(fit.slope.rssMiBPerPair).toBe(0.1);
    expect(fit.extrapolated).toEqual({ postPairs: 100_000, wallS: 1000, cpuS: 1200, peakRssMiB: 10_300 });
    expect(fit.deviations).toEqual([]);
  });

  it('says how far each size between the ends lies off the line (linear growth: 0)', () => {
    const points = [
      { postPairs: 1000, pages: 0, wallMs: 10_000, cpuMs: 12_000, peakRssMiB: 400, stages: {} },
      { postPairs: 3000, pages: 0, wallMs: 36_000, cpuMs: 36_000, peakRssMiB: 540, stages: {} },
      { postPairs: 5000, pages: 0, wallMs: 50_000, cpuMs: 60_000, peakRssMiB: 800, stages: {} },
    ];
    const fit = computeScaleFit(points);
    // On the line at 3000 pairs: 30 s wall, 36 s CPU, 600 MiB.
    expect(fit.deviations).toHaveLength(1);
    expect(fit.deviations[0]!.postPairs).toBe(3000);
    expect(fit.deviations[0]!.wall).toBeCloseTo(0.2);
    expect(fit.deviations[0]!.cpu).toBeCloseTo(0);
    expect(fit.deviations[0]!.rss).toBeCloseTo(-0.1);
    expect(formatScaleResult({ points, ...fit })).toContain('at 3000 pairs: wall +20%, CPU +0%, peak RSS −10%');
  });
});
