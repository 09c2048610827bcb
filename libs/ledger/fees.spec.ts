import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { platformFeeMinor } from './fees';

describe('platformFeeMinor', () => {
  it('rounds half up to a whole minor unit', () => {
    expect(platformFeeMinor(10_000, 1000)).toBe(1000);
    expect(platformFeeMinor(5, 1000)).toBe(1); // 0.5 → 1
    expect(platformFeeMinor(4, 1000)).toBe(0); // 0.4 → 0
    expect(platformFeeMinor(12_345, 250)).toBe(309); // 308.625 → 309
  });

  it('never exceeds the price and splits it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), (price, bps) => {
        const fee = platformFeeMinor(price, bps);
        return Number.isInteger(fee) && fee >= 0 && fee <= price && price - fee >= 0;
      }),
    );
  });

  it('refuses fractional prices', () => {
    expect(() => platformFeeMinor(10.5, 1000)).toThrow();
  });
});
