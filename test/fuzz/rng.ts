// A seeded random source for the fuzz generator: the same input for the same seed on every machine.

/** mulberry32: small and fast. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** n bytes 1..255 as latin1 characters, newlines made spaces: one line of noise. */
  bytes(n: number): string {
    return Array.from({ length: n }, () => String.fromCharCode(1 + this.int(255)))
      .join('')
      .replace(/\n/g, ' ');
  }
}
