import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planCheckpoints } from './checkpoints';

const HOUR = 3_600_000;

describe('planCheckpoints', () => {
  it('checks at the end of the top window and just before the end, at random times between, never too close', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 24, max: 168 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (topHours, feedHours, r) => {
        const published = new Date(0);
        const topEnds = new Date(topHours * HOUR);
        const ends = new Date(Math.max(feedHours, topHours + 1) * HOUR);
        const gap = 4 * HOUR;
        const points = planCheckpoints(published, topEnds, ends, gap, () => r).map((at) => at.getTime());
        expect(points[0]).toBe(topEnds.getTime());
        const last = points[points.length - 1];
        expect(last).toBeLessThan(ends.getTime()); // an owner who deletes on time is never caught
        expect(last).toBeGreaterThanOrEqual(ends.getTime() - (ends.getTime() - topEnds.getTime()) / 100 - 1);
        for (let i = 1; i < points.length - 1; i++) expect(points[i] - points[i - 1]).toBeGreaterThanOrEqual(gap);
        expect([...points].sort((a, b) => a - b)).toEqual(points);
      }),
    );
  });
});
