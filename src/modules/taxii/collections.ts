/**
 * The collections of the TAXII API root, per caller (contract §4): one of everything it may
 * receive and one per saved feed of its organisation (feed:read), and one writable collection
 * where a partner adds STIX bundles (indicators:write). What a readable collection holds is the
 * caller's feed with that collection's filters — the same query, the same sharing rule.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { savedFeeds } from '../../db/schema.js';
import type { Caller } from '../../plugins/auth.js';
import { STIX_MEDIA_TYPE } from '../../../schemas/taxii.js';
import type { FeedFilters } from '../feeds/query.js';

export interface Collection {
  id: string;
  title: string;
  description: string;
  alias?: string;
  /** Readable collections: the feed filters that make them. */
  filters: FeedFilters | null;
  writable: boolean;
}

/** Fixed ids: every caller's "everything" collection and its organisation's inbox have the same id. */
export const EVERYTHING_ID = '9c5f8a2e-5d3b-4e7a-9f1c-2b6d8e4a7c01';
export const SUBMISSIONS_ID = '3e8b1d6f-7a2c-4f95-8b0e-5c4d9a1f2e63';

export async function collectionsOf(db: Database, caller: Caller): Promise<Collection[]> {
  const list: Collection[] = [];
  if (caller.scopes.has('feed:read')) {
    list.push({
      id: EVERYTHING_ID, alias: 'everything', title: 'Everything',
      description: 'Every indicator your organisation may receive, and a revoked version when one is withdrawn, expires or is no longer yours (your /v1/feed).',
      filters: {}, writable: false,
    });
    const feeds = await db.select({ id: savedFeeds.id, name: savedFeeds.name, filters: savedFeeds.filters })
      .from(savedFeeds).where(eq(savedFeeds.orgId, caller.orgId)).orderBy(asc(savedFeeds.name), asc(savedFeeds.id));
    for (const feed of feeds) {
      list.push({ id: feed.id, title: feed.name, description: `Saved feed ${feed.name} of your organisation (/v1/feeds/${feed.id}/items).`, filters: feed.filters as FeedFilters, writable: false });
    }
  }
  if (caller.scopes.has('indicators:write')) {
    list.push({
      id: SUBMISSIONS_ID, alias: 'submissions', title: 'Submissions',
      description: 'Add STIX 2.1 bundles of indicators here; they are stored as your organisation\'s indicators (POST /v1/indicators) and shared by their handling codes. Each addition has a status resource.',
      filters: null, writable: true,
    });
  }
  return list;
}

/** A collection as its TAXII resource. */
export function collectionResource(collection: Collection) {
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    ...(collection.alias ? { alias: collection.alias } : {}),
    can_read: collection.filters !== null,
    can_write: collection.writable,
    media_types: [STIX_MEDIA_TYPE],
  };
}
