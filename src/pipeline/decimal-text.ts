/**
 * Exact arithmetic on the plain decimals iPOS quantities arrive as ("-2", "1.25": numeric as text,
 * never an exponent), in scaled BigInt: a float would turn 0.1 + 0.2 into 0.30000000000000004.
 */

/** Digits after the point. */
export const scaleOf = (value: string): number => (value.split('.')[1] ?? '').length;

/** The value times 10^scale, as an integer (scale at least scaleOf(value)). */
export function units(value: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const n = BigInt(whole + fraction.padEnd(scale, '0'));
  return value.startsWith('-') ? -n : n;
}

/** The exact sum, without trailing zeros: ["1.25", "-2"] → "-0.75". */
export function decimalSum(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map(scaleOf));
  const sum = values.reduce((total, v) => total + units(v, scale), 0n);
  const digits = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, '0');
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${sum < 0n ? '-' : ''}${digits.slice(0, digits.length - scale)}${fraction ? `.${fraction}` : ''}`;
}

/** Compares a/b with c/d exactly (b and d above 0): negative when a/b is the smaller. */
export function compareRatios(a: string, b: string, c: string, d: string): number {
  const scale = Math.max(scaleOf(a), scaleOf(b), scaleOf(c), scaleOf(d));
  const left = units(a, scale) * units(d, scale);
  const right = units(c, scale) * units(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}
