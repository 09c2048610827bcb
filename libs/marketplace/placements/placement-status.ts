import { DomainError, ErrorCode } from '#libs/common';

export type PlacementStatus =
  | 'offered'
  | 'scheduled'
  | 'published'
  | 'completed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'failed'
  | 'needs_review';

export type PlacementAction =
  | 'accept'
  | 'reject'
  | 'expire'
  | 'cancel'
  | 'publish'
  | 'publish_failed'
  | 'complete'
  | 'fail'
  | 'flag'
  | 'resolve_delivered'
  | 'resolve_undelivered';

/** What each transition does with the escrow. */
export type EscrowEffect = 'none' | 'refund' | 'release';

interface Transition {
  from: readonly PlacementStatus[];
  to: PlacementStatus;
  escrow: EscrowEffect;
}

/** The placement state machine as data: every allowed transition, and what it does with the money. */
export const PLACEMENT_TRANSITIONS: Record<PlacementAction, Transition> = {
  accept: { from: ['offered'], to: 'scheduled', escrow: 'none' },
  reject: { from: ['offered'], to: 'rejected', escrow: 'refund' },
  expire: { from: ['offered'], to: 'expired', escrow: 'refund' },
  cancel: { from: ['offered', 'scheduled'], to: 'cancelled', escrow: 'refund' },
  // from needs_review too: a run that found this send in flight flagged it, and the run that sent it
  // then came back with the message id, which settles the doubt the flag was about
  publish: { from: ['scheduled', 'needs_review'], to: 'published', escrow: 'none' },
  publish_failed: { from: ['scheduled'], to: 'failed', escrow: 'refund' },
  complete: { from: ['published'], to: 'completed', escrow: 'release' },
  fail: { from: ['published'], to: 'failed', escrow: 'refund' },
  flag: { from: ['scheduled', 'published'], to: 'needs_review', escrow: 'none' },
  // an operator looked at the channel: the post ran as agreed (pay the owner) or it did not (refund)
  resolve_delivered: { from: ['needs_review'], to: 'completed', escrow: 'release' },
  resolve_undelivered: { from: ['needs_review'], to: 'failed', escrow: 'refund' },
};

export function transitionFor(action: PlacementAction, current: PlacementStatus): Transition {
  const transition = PLACEMENT_TRANSITIONS[action];
  if (!transition.from.includes(current)) {
    throw new DomainError(ErrorCode.InvalidTransition, `Cannot ${action.replace('_', ' ')} a placement that is ${current}.`, {
      status: current,
      action,
    });
  }
  return transition;
}
