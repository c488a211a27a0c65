/**
 * Outcomes (contract §5): what was done about an indicator, reported back to its source.
 * Who may report what is decided here; who may read an outcome is `outcomeVisibleTo` in
 * src/domain/visibility.ts.
 */
import type { OrgKind } from './types.js';

/** The contract's actions. */
export const OUTCOME_ACTIONS = [
  'investigating', 'takedown_requested', 'taken_down', 'domain_seized', 'server_seized',
  'blocked', 'arrest', 'assets_frozen', 'false_positive', 'not_actionable', 'no_longer_active',
] as const;

/**
 * Added to the contract's list: the source's answer to a `false_positive`. It clears `disputed`
 * (the values return to blocklists and resolver zones) and is shown to the agencies that may
 * receive the indicator, so whoever disputed it learns the source stands by it.
 */
export const CONFIRMED = 'confirmed';

export const ALL_OUTCOME_ACTIONS = [...OUTCOME_ACTIONS, CONFIRMED] as const;
export type OutcomeAction = (typeof ALL_OUTCOME_ACTIONS)[number];

/** What intermediaries may report on what they receive: the confirmation of a blocking order. */
export const INTERMEDIARY_ACTIONS: readonly OutcomeAction[] = ['blocked', 'taken_down', 'not_actionable', 'no_longer_active'];

/** Actions whose delay from the report the statistics measure (median and p90). */
export const TIMED_ACTIONS: readonly OutcomeAction[] = ['blocked', 'taken_down', 'domain_seized'];

/** Why `kind` may not report `action` (the scope is checked on its own), or null when it may. */
export function actionRefusal(kind: OrgKind, action: OutcomeAction): string | null {
  if (action === CONFIRMED) return null; // the source's own answer; checked against the indicator
  if (kind === 'intermediary' && !INTERMEDIARY_ACTIONS.includes(action)) {
    return `Intermediaries may report ${INTERMEDIARY_ACTIONS.join(', ')}.`;
  }
  return null;
}
