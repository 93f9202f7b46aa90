/**
 * mulberry32, the same generator as packages/server/src/platform/random.ts: deterministic data
 * sets from a seed. A copy because se-synth.mjs must load without a TypeScript loader (bench/
 * import.mjs runs it in plain Node beside the import it times, and the importer's tests import
 * it); the generators that register tsx use this one too, so all bench data comes from one file.
 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
