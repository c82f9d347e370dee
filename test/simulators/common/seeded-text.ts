/**
 * The generator's fast, seeded building blocks: a PRNG, flat strings built
 * without rope nodes, unique scrambled ids and whole-minute ISO times. Kept
 * apart from the vendor tables so each file reads as one concern.
 */
/** A small, fast, seeded PRNG (mulberry32): returns uint32 values. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}


export const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
export const HEX = '0123456789abcdef';
export const ID_SPACE_36 = 36 ** 8;
export const ID_SPACE_HEX = 16 ** 12;
/** Coprime with 36 and 16, so `index * A + offset mod space` is a bijection: unique, random-looking ids. */
export const SCRAMBLE = 7_777_777;
export const MAX_INDEX = Math.floor((Number.MAX_SAFE_INTEGER - ID_SPACE_HEX) / SCRAMBLE);
export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** Times are relative to a fixed instant, never to now: the output must not depend on when it runs. */
export const REFERENCE_TIME = Date.UTC(2026, 0, 1);

export type Rng = () => number;

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng() % list.length];
export const chance = (rng: Rng, percent: number) => rng() % 100 < percent;

export const DECIMAL = '0123456789';

/**
 * Builds one flat string from pieces. Template literals and `+=` leave a rope
 * node per piece, which at a million items costs more memory and GC than the text.
 */
export class FlatText {
  private readonly codes: number[] = [];

  text(piece: string): this {
    for (let i = 0; i < piece.length; i++) this.codes.push(piece.charCodeAt(i));
    return this;
  }

  /** `value` in the alphabet's base, left-padded with its first character to `width`. */
  digits(value: number, alphabet: string, width = 1): this {
    const start = this.codes.length;
    const base = alphabet.length;
    do {
      this.codes.push(alphabet.charCodeAt(value % base));
      value = Math.floor(value / base);
    } while (value > 0);
    while (this.codes.length - start < width) this.codes.push(alphabet.charCodeAt(0));
    for (let low = start, high = this.codes.length - 1; low < high; low++, high--) {
      const swap = this.codes[low];
      this.codes[low] = this.codes[high];
      this.codes[high] = swap;
    }
    return this;
  }

  random(rng: Rng, alphabet: string, length: number): this {
    let bits = rng();
    for (let i = 0; i < length; i++) {
      if (i % 5 === 4) bits = rng();
      this.codes.push(alphabet.charCodeAt(bits % alphabet.length));
      bits = Math.floor(bits / alphabet.length);
    }
    return this;
  }

  done(): string {
    const text = String.fromCharCode.apply(null, this.codes);
    this.codes.length = 0;
    return text;
  }
}
export const flat = new FlatText();

export const randomChars = (rng: Rng, alphabet: string, length: number) => flat.random(rng, alphabet, length).done();
export const scramble = (index: number, offset: number, space: number) => (index * SCRAMBLE + offset) % space;

export function uuidShaped(rng: Rng, tail: number): string {
  // 8-4-4-4-12, version 4, RFC variant; the last group carries the caller's unique part.
  flat.random(rng, HEX, 8).text('-').random(rng, HEX, 4).text('-4').random(rng, HEX, 3);
  return flat.text('-').random(rng, '89ab', 1).random(rng, HEX, 3).text('-').digits(tail, HEX, 12).done();
}

/** Whole-minute instants, so every vendor's time format (some have no seconds) round-trips exactly. */
export function minuteIso(ms: number): string {
  return new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();
}

/** Days and minutes as ISO pieces, built once: a million timestamps then cost two look-ups each. */
export const MINUTES_OF_DAY = Array.from({ length: 1440 }, (_, m) => minuteIso(m * MINUTE).slice(10));
export const dayPrefixes = new Map<number, string>();
export function isoAt(day: number, minute: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = minuteIso(REFERENCE_TIME + day * DAY).slice(0, 10);
    dayPrefixes.set(day, prefix);
  }
  return prefix + MINUTES_OF_DAY[minute];
}
