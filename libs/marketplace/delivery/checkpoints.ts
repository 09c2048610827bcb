/**
 * When the verify job looks at a published post: at the end of the top window (to see whether it
 * was covered), at random moments in between so the owner cannot predict them (never closer than
 * `minGapMs`), and always at the very end.
 */
export function planCheckpoints(
  publishedAt: Date,
  topEndsAt: Date,
  endsAt: Date,
  minGapMs: number,
  random: () => number = Math.random,
): Date[] {
  const points = new Set<number>([Math.max(topEndsAt.getTime(), publishedAt.getTime()), endsAt.getTime()]);
  let cursor = topEndsAt.getTime();
  for (;;) {
    const next = cursor + minGapMs + Math.floor(random() * minGapMs);
    if (next >= endsAt.getTime() - minGapMs / 2) break;
    points.add(next);
    cursor = next;
  }
  return [...points].sort((a, b) => a - b).map((time) => new Date(time));
}
