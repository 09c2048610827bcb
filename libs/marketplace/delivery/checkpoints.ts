/**
 * When the verify job looks at a published post: at the end of the top window (to see whether it
 * was covered), at random moments in between so the owner cannot predict them (never closer than
 * `minGapMs`), and always just before the end: a hundredth of the time in the feed early, so that an
 * owner who deletes the post on time is never caught by a check that runs a little late.
 */
export function planCheckpoints(
  publishedAt: Date,
  topEndsAt: Date,
  endsAt: Date,
  minGapMs: number,
  random: () => number = Math.random,
): Date[] {
  const last = Math.max(topEndsAt.getTime(), endsAt.getTime() - Math.floor((endsAt.getTime() - topEndsAt.getTime()) / 100));
  const points = new Set<number>([Math.max(topEndsAt.getTime(), publishedAt.getTime()), last]);
  let cursor = topEndsAt.getTime();
  for (;;) {
    const next = cursor + minGapMs + Math.floor(random() * minGapMs);
    if (next >= last - minGapMs / 2) break;
    points.add(next);
    cursor = next;
  }
  return [...points].sort((a, b) => a - b).map((time) => new Date(time));
}
