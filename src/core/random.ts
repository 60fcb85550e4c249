/**
 * Seeded pseudo-random numbers (xoshiro128** seeded through splitmix32). Every random choice in shiftlens
 * (sampling, permutations, folds, bootstrap, initialisation) draws from an Rng derived from the user's --seed,
 * so two runs with the same seed give identical results.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal deviate. */
  normal(): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T;
  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array;
  /** k distinct indices from 0..n-1 (in random order). */
  sample(n: number, k: number): Uint32Array;
  /** An independent stream named by label: the same (seed, label) always gives the same stream. */
  fork(label: string): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** 32-bit FNV-1a of a string, used to turn labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const seedNumber = typeof seed === 'number' ? (seed >>> 0) ^ Math.floor(seed / 2 ** 32) : hashString(seed);
  const init = splitmix32(seedNumber);
  // State in a typed array: uint32 values ≥ 2³⁰ kept in closure variables would be boxed numbers, allocated on
  // every step; here each step is a few integer operations (the stream is the same either way).
  const state = new Uint32Array(4);
  state[0] = init();
  state[1] = init();
  state[2] = init();
  state[3] = init();
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  let spareNormal: number | null = null;

  const nextUint32 = (): number => {
    const b = state[1];
    const x = Math.imul(b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = b << 9;
    const c = state[2] ^ state[0];
    const d = state[3] ^ b;
    state[1] = b ^ c;
    state[0] ^= d;
    state[2] = c ^ t;
    state[3] = (d << 11) | (d >>> 21);
    return result;
  };
  /** Uniform in [0, 1) from 53 random bits. */
  const next = (): number => {
    const hi = nextUint32() >>> 5;
    const lo = nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  const rng: Rng = {
    next,
    int: (n: number) => {
      if (!(n > 0)) throw new RangeError(`int(n) needs n > 0, got ${n}`);
      return Math.floor(next() * n);
    },
    normal: () => {
      if (spareNormal !== null) {
        const v = spareNormal;
        spareNormal = null;
        return v;
      }
      let u = 0,
        v = 0,
        s = 0;
      do {
        u = next() * 2 - 1;
        v = next() * 2 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spareNormal = v * f;
      return u * f;
    },
    shuffle: (array) => {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
    permutation: (n: number) => {
      const p = new Uint32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      return rng.shuffle(p);
    },
    sample: (n: number, k: number) => {
      if (k > n) throw new RangeError(`cannot sample ${k} of ${n}`);
      if (k * 4 > n) return rng.permutation(n).slice(0, k);
      const chosen = new Set<number>();
      const out = new Uint32Array(k);
      let m = 0;
      while (m < k) {
        const j = rng.int(n);
        if (!chosen.has(j)) {
          chosen.add(j);
          out[m++] = j;
        }
      }
      return out;
    },
    fork: (label: string) => createRng((hashString(label) ^ nextSeedFor(seedNumber)) >>> 0),
  };
  return rng;
}

function nextSeedFor(seed: number): number {
  return splitmix32(seed ^ 0x5bd1e995)();
}
