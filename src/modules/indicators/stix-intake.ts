/**
 * A STIX bundle as a batch (POST /v1/indicators with application/stix+json, and objects added to
 * a TAXII collection): its indicators go through the batch pipeline as items (submit.ts); every
 * object gets a result at its own index — the indicators' from the pipeline, the others saying
 * why they were skipped (context: markings, identities) or are unsupported.
 */
import { fromStixObjects, type IntakeVerdict } from '../../domain/stix-intake.js';
import type { ItemResult } from './ingest.js';

export type StixStatus = ItemResult['status'] | 'skipped' | 'unsupported';
export interface StixItemResult extends Omit<ItemResult, 'status'> { status: StixStatus; stix_id?: string }

export interface StixBatch {
  verdicts: IntakeVerdict[];
  /** The submissions, in object order. */
  items: Record<string, unknown>[];
  /** Some object is unsupported or invalid (an atomic request stores nothing then). */
  blocked: boolean;
  /** One result per object, from the items' results. */
  results(itemResults: readonly ItemResult[]): StixItemResult[];
}

export function stixBatch(objects: readonly unknown[], now: number): StixBatch {
  const verdicts = fromStixObjects(objects, now);
  const items: Record<string, unknown>[] = [];
  const itemOf = new Map<number, number>();
  verdicts.forEach((verdict, index) => {
    if (verdict.kind !== 'indicator') return;
    itemOf.set(index, items.length);
    items.push(verdict.item);
  });
  return {
    verdicts,
    items,
    blocked: verdicts.some((v) => v.kind === 'unsupported' || v.kind === 'invalid'),
    results: (itemResults) => verdicts.map((verdict, index): StixItemResult => {
      const base = { index, ...(verdict.stixId ? { stix_id: verdict.stixId } : {}) };
      switch (verdict.kind) {
        case 'indicator': {
          const result = itemResults[itemOf.get(index)!]!;
          const warnings = [...verdict.warnings, ...(result.warnings ?? [])];
          return { ...result, ...base, ...(warnings.length ? { warnings } : {}) };
        }
        case 'skipped': return { ...base, status: 'skipped', warnings: [verdict.message] };
        case 'unsupported': return { ...base, status: 'unsupported', errors: [{ path: '/', message: verdict.message }] };
        case 'invalid': return { ...base, status: 'rejected', errors: verdict.errors };
      }
    }),
  };
}

/** Counts by status; a STIX batch also counts what it skipped and what is unsupported. */
export function summariseStix(results: readonly StixItemResult[]) {
  const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0, unsupported: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}
