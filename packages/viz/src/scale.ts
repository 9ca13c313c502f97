/**
 * Axis scales and tick choice for the SVG plots. Exported so callers (and tests)
 * can place their own marks exactly where the plots place theirs.
 */
import { errors } from '@engram/core';

/** A map from data values to pixel positions, with the ticks to draw on its axis. */
export interface Scale {
  /** Pixel position of a data value. */
  (value: number): number;
  /** 'linear' or 'log' (base 10). */
  readonly kind: 'linear' | 'log';
  /** Data interval mapped onto `range`. */
  readonly domain: readonly [number, number];
  /** Pixel interval, e.g. `[left, right]` or `[bottom, top]` (may be decreasing). */
  readonly range: readonly [number, number];
  /** Labelled tick values inside the domain. */
  ticks(count?: number): number[];
  /** Unlabelled minor tick values (log scales spanning at most 6 decades: 2..9 times each power of ten; linear: none). */
  minorTicks(): number[];
}

/**
 * The "nice" step (1, 2 or 5 times a power of ten) that cuts `span` into about
 * `count` intervals.
 */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) throw errors.invalidArgument('span', 'a finite number > 0', span);
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const unit = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return unit * mag;
}

/** Rounds away floating noise such as 0.30000000000000004 given the tick step. */
function clean(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const r = Number(v.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/** Multiples of a nice step inside `[min, max]` (inclusive), about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, count);
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(clean(k * step, step));
  return out;
}

/** Widens `[min, max]` outward to multiples of its nice step, so the axis ends on ticks. */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!(max > min)) {
    // A flat series still needs a visible band around it.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceDomain(min - pad, max + pad, count);
  }
  const step = niceStep(max - min, count);
  return [clean(Math.floor(min / step + 1e-9) * step, step), clean(Math.ceil(max / step - 1e-9) * step, step)];
}

/** Widens a positive `[min, max]` to whole powers of ten (a flat series gets one decade either side). */
export function niceLogDomain(min: number, max: number): [number, number] {
  if (!(min > 0) || !(max > 0)) throw errors.invalidArgument('log domain', 'positive bounds', [min, max]);
  let lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi <= lo) {
    lo -= 1;
    hi += 1;
  }
  return [10 ** lo, 10 ** hi];
}

/** A linear scale from `domain` onto `range`. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) {
    throw errors.invalidArgument('domain', 'two different finite numbers', domain);
  }
  const k = (r1 - r0) / (d1 - d0);
  const scale = ((v: number) => r0 + (v - d0) * k) as Scale;
  return Object.assign(scale, {
    kind: 'linear' as const,
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks: (count = 5) => niceTicks(Math.min(d0, d1), Math.max(d0, d1), count),
    minorTicks: () => [],
  });
}

/**
 * A base-10 log scale from `domain` (both bounds > 0) onto `range`. Ticks are the
 * powers of ten inside the domain (thinned to about `count` when there are many
 * decades); within less than one decade they fall back to 1-2-5 multiples.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!(d0 > 0) || !(d1 > 0) || !Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) {
    throw errors.invalidArgument('log scale domain', 'two different finite numbers > 0 (log axes cannot show zero or negatives)', domain);
  }
  const l0 = Math.log10(d0);
  const k = (r1 - r0) / (Math.log10(d1) - l0);
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  const scale = ((v: number) => r0 + (Math.log10(v) - l0) * k) as Scale;
  const decades = (): number[] => {
    const out: number[] = [];
    for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(e);
    return out;
  };
  const pow10 = (e: number): number => Number((10 ** e).toPrecision(12));
  return Object.assign(scale, {
    kind: 'log' as const,
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks: (count = 6): number[] => {
      const es = decades();
      if (es.length < 2) {
        // Less than a decade visible: label 1-2-5 multiples like a linear axis.
        const within: number[] = [];
        for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
          for (const m of [1, 2, 5]) {
            const v = Number((m * 10 ** e).toPrecision(12));
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) within.push(v);
          }
        }
        return within.length >= 2 ? within : niceTicks(lo, hi, 4);
      }
      const every = Math.max(1, Math.ceil(es.length / Math.max(1, count)));
      return es.filter((e) => e % every === 0).map(pow10);
    },
    minorTicks: (): number[] => {
      const es = decades();
      if (es.length > 6) return [];
      const out: number[] = [];
      for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        for (let m = 2; m <= 9; m++) {
          const v = Number((m * 10 ** e).toPrecision(12));
          if (v > lo && v < hi) out.push(v);
        }
      }
      return out;
    },
  });
}

/** A compact tick label: plain decimals in [1e-3, 1e5), otherwise `2.5e-4` style. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e5 || a < 1e-3) {
    const [mant, exp] = value.toExponential().split('e') as [string, string];
    const m = String(Number(Number(mant).toPrecision(4)));
    return `${m}e${Number(exp)}`;
  }
  return String(Number(value.toPrecision(6)));
}
