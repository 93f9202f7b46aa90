import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript of the bench scripts, without types
import { rng } from '../../../../bench/lib/rng.mjs';
import { mulberry32 } from './random.ts';

describe('mulberry32', () => {
  it('is the generator the bench scripts copy (bench/lib/rng.mjs): same numbers for a seed', () => {
    for (const seed of [0, 7, 42, 20_260_601, 0xffffffff]) {
      const [a, b] = [mulberry32(seed), rng(seed) as () => number];
      const ours = Array.from({ length: 100 }, a);
      expect(Array.from({ length: 100 }, b)).toEqual(ours);
      expect(new Set(ours).size).toBe(100);
      for (const x of ours) expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
