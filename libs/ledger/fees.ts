/**
 * The one place the platform fee is computed. Basis points of the price, rounded half up to a
 * whole minor unit, never more than the price: the owner gets price - fee exactly.
 */
export function platformFeeMinor(priceMinor: number, feeBps: number): number {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0) throw new Error(`price must be a non-negative integer, got ${priceMinor}`);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new Error(`fee must be 0..10000 bps, got ${feeBps}`);
  const fee = Math.floor((priceMinor * feeBps + 5_000) / 10_000);
  return Math.min(fee, priceMinor);
}
