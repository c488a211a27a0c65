/** Outcome shapes (contract §5). */
import { Type } from '@sinclair/typebox';
import { ALL_OUTCOME_ACTIONS, INTERMEDIARY_ACTIONS } from '../src/domain/outcomes.js';
import { CountryCode, Nullable, StringEnum, Timestamp, Uuid } from './common.js';

export const OutcomeAction = StringEnum(ALL_OUTCOME_ACTIONS, {
  $id: 'OutcomeAction',
  description: `Intermediaries may report ${INTERMEDIARY_ACTIONS.join(', ')}. \`false_positive\` marks the indicator disputed ` +
    '(its value leaves blocklists and resolver zones); `confirmed` is its source\'s answer (indicators:write, source only), which clears it.',
});

export const OutcomeCreate = Type.Object({
  action: Type.Ref(OutcomeAction),
  occurred_at: Type.Optional(Timestamp),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  case_ref: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  share_with_agencies: Type.Optional(Type.Boolean({ description: 'let other agencies that may receive the indicator see this outcome (deconfliction); default false, true for confirmed' })),
}, { $id: 'OutcomeCreate', additionalProperties: false });

export const Outcome = Type.Object({
  id: Uuid,
  indicator: Type.Object({ id: Uuid, type: Type.Ref('IndicatorType'), value: Type.String(), platform: Nullable(Type.String()) }),
  action: Type.Ref(OutcomeAction),
  occurred_at: Timestamp,
  note: Nullable(Type.String()),
  case_ref: Nullable(Type.String()),
  share_with_agencies: Type.Boolean(),
  reported_by: Type.Object({ org_id: Uuid, name: Type.String(), kind: Type.String(), country: CountryCode }),
  created_at: Timestamp,
}, { $id: 'Outcome' });

export const OutcomeList = Type.Object({
  items: Type.Array(Type.Ref(Outcome)),
  next_cursor: Nullable(Type.String()),
}, { $id: 'OutcomeList' });

export const OutcomeFeedPage = Type.Object({
  items: Type.Array(Type.Ref(Outcome)),
  next_cursor: Type.String({ description: 'Opaque; ask again with it to get only the outcomes reported since' }),
  has_more: Type.Boolean(),
}, { $id: 'OutcomeFeedPage' });

export const outcomeSchemas = [OutcomeAction, OutcomeCreate, Outcome, OutcomeList, OutcomeFeedPage];
