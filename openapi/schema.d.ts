export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys that verify access tokens */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAXII 2.1 server discovery */
        get: operations["getTaxiiDiscovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The TAXII API root */
        get: operations["getTaxiiApiRoot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The collections the caller may read or write */
        get: operations["listTaxiiCollections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/{collectionId}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One collection */
        get: operations["getTaxiiCollection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/{collectionId}/manifest/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a collection holds: id, date_added and version of each indicator, in the order added */
        get: operations["getTaxiiManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/{collectionId}/objects/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A collection's objects, in the order added: indicators with the markings and identities they reference
         * @description Page with `limit` and `next` (stateless; no object is skipped or repeated, however many share one date_added), then poll with `added_after` set to the X-TAXII-Date-Added-Last of the last page. A page never parts an indicator from the marking and identity it references.
         */
        get: operations["getTaxiiObjects"];
        put?: never;
        /**
         * Add STIX objects to the writable collection: indicators are stored as your organisation's
         * @description The same pipeline as POST /v1/indicators with a STIX bundle. The status resource reports every object: stored indicators, and marking definitions and identities (context) as successes; rejected indicators and unsupported objects as failures, with the reason.
         */
        post: operations["addTaxiiObjects"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/{collectionId}/objects/{objectId}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One object of a collection (an indicator, with its marking and identity) */
        get: operations["getTaxiiObject"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/collections/{collectionId}/objects/{objectId}/versions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The versions of an object a collection holds (the current one) */
        get: operations["getTaxiiObjectVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/taxii2/api/status/{statusId}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The status of an addition of objects (kept 7 days for the organisation that added them) */
        get: operations["getTaxiiStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first (secretariat): writes, tokens, admin actions, deliveries
         * @description `org_id` matches the acting organisation and the organisation acted upon; `since` is inclusive, `until` exclusive.
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the audit chain (secretariat): every entry, link and row; names what was changed, inserted or deleted
         * @description With `after` (and `hash`), only the entries after a head published earlier are verified. A long log is best verified with `npm run admin -- audit verify` (no request deadline).
         */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OAuth 2.0 client-credentials grant (form, JSON or HTTP Basic) */
        post: operations["issueToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/blocklist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A snapshot of the caller's active receivable values of one type, one per line, or its Response Policy Zone
         * @description Shared infrastructure is left out unless include_shared=true, disputed values always. IP blocklists carry the `cidr` networks of their family too. format=rpz is a DNS Response Policy Zone: without `type` it holds every domain, address and network (as rpz-ip triggers); its SOA serial rises with every change of the caller's blocklist; `policy` defaults to the one set for the caller's resolver zone, else nxdomain. ETag/If-None-Match make unchanged polls cheap.
         */
        get: operations["getBlocklist"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clients/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a client (admin): token requests fail at once, issued tokens within 30 s */
        delete: operations["revokeClient"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clients/{client_id}/dns-zone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An intermediary client's resolver zone (admin) */
        get: operations["getDnsZone"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Choose an intermediary client's policy (NXDOMAIN, NODATA, walled garden) and the secondaries NOTIFYed of its zone's changes (admin)
         * @description A new policy changes every record: the zone gets a new serial and secondaries transfer it whole.
         */
        patch: operations["updateDnsZone"];
        trace?: never;
    };
    "/v1/clients/{client_id}/tsig-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new TSIG key for an intermediary client's resolver zone (admin); the old key stops at once, the new secret is shown once */
        post: operations["rotateTsigKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dns-zone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's resolver zone: its name, TSIG key name, policy and current serial */
        get: operations["getOwnDnsZone"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's change feed: items and tombstones after a cursor, gap-free
         * @description Formats: json (default), ndjson (streamed; next cursor in X-Next-Cursor), csv, stix (STIX 2.1 bundle). `format=` wins over the Accept header. JSON, CSV and STIX pages carry an ETag: If-None-Match with it answers 304.
         */
        get: operations["getFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feed/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's change feed, live, as Server-Sent Events: the same entries, filters and cursors as /v1/feed
         * @description Events: `item` (data: an Indicator) and `tombstone` (data: a Tombstone), each with `id:` the feed cursor after it — the same cursor as next_cursor, so polling and streaming can take over from each other. Reconnect with `Last-Event-ID` (or `cursor=`) to resume with no gap. A committed change arrives within a second. A comment line `: heartbeat` every STREAM_HEARTBEAT_MS (15 s), with an `id:` when the position moved past changes that were not for the caller. The stream ends when the token expires or the client is revoked, when the node shuts down, and when the caller does not read what it is sent (more than STREAM_BUFFER_BYTES unsent at two heartbeats in a row); reconnect with Last-Event-ID.
         */
        get: operations["streamFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller organisation's saved feeds */
        get: operations["listSavedFeeds"];
        put?: never;
        /** Save a named set of feed filters */
        post: operations["createSavedFeed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feeds/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A saved feed's items: same cursor and formats as /v1/feed */
        get: operations["getSavedFeedItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/indicators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List indicators: partners their own (or with received=true what they receive), others what they receive */
        get: operations["listIndicators"];
        put?: never;
        /**
         * Submit up to 10,000 indicators; each item is stored or rejected on its own
         * @description With `atomic=true` any rejected item makes the whole batch 422 and nothing is stored. An `Idempotency-Key` header replays the first response for 24 hours. As `application/stix+json`, the body is a STIX 2.1 bundle: every Indicator whose pattern names one observable of a supported type is an item (TLP marking, confidence, valid_from/valid_until, labels as categories and tags); every object gets a result at its index in the bundle (`stix_id`), marking definitions and identities `skipped`, anything else `unsupported`, with the reason.
         */
        post: operations["submitIndicators"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/indicators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One indicator the caller may receive (404 otherwise, never 403) */
        get: operations["getIndicator"];
        put?: never;
        post?: never;
        /** Withdraw an indicator (source or admin); former recipients get a tombstone */
        delete: operations["withdrawIndicator"];
        options?: never;
        head?: never;
        /**
         * Change handling or descriptive fields (source only) → new version
         * @description Atomic: concurrent changes apply one after the other, none is lost. Send `If-Match: "<version>"` (the ETag of the indicator) to change it only if nobody else did since you read it; otherwise 412.
         */
        patch: operations["updateIndicator"];
        trace?: never;
    };
    "/v1/indicators/{id}/network": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The connected component (the suspected operation) an indicator belongs to, as far as the caller may see it
         * @description Counts by type over the whole component (read up to 100,000 members; `truncated` beyond), and its first `limit` members, nearest the start first, with the links between them. `format=stix`: a bundle with Relationship objects.
         */
        get: operations["getIndicatorNetwork"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/indicators/{id}/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The outcomes on an indicator that the caller may see, oldest first
         * @description Its source, the secretariat and the reporting organisation see an outcome; other agencies that may receive the indicator see it when it was reported with share_with_agencies.
         */
        get: operations["listOutcomes"];
        put?: never;
        /**
         * Report what was done about an indicator the caller may receive
         * @description Needs outcomes:write, and for intermediaries one of blocked, taken_down, not_actionable, no_longer_active. `false_positive` marks the indicator `disputed: true` in every read and feed, and takes its value out of blocklists and resolver zones until its source answers `confirmed` (source only, with indicators:write) or withdraws it.
         */
        post: operations["reportOutcome"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/indicators/{id}/related": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The graph around an indicator: what the caller may receive within `depth` links of it
         * @description Linked by submitted relations, by the same observable from other sources (corroboration), and by derived links (a URL's or e-mail's domain, a domain's registrable domain, addresses inside networks, shared servers, payment accounts, IBANs, wallets, tracking ids). Nodes are ordered by distance, then by how many observables they share with the level before, then by confidence; each level keeps its 1,000 most relevant. `format=stix`: a bundle with Relationship objects.
         */
        get: operations["getRelatedIndicators"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/indicators/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend the validity of up to 10,000 of the caller's own active indicators (review of what expires; see expiring_within)
         * @description Each indicator gets the new valid_until as a new version, as a PATCH would give it; its recipients see the change in their feeds.
         */
        post: operations["extendIndicators"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything the caller may receive about one observable, and the warninglists it is on */
        get: operations["lookupObservable"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation directory */
        get: operations["listOrgs"];
        put?: never;
        /** Create an organisation (admin) */
        post: operations["createOrg"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{id}/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a client for an organisation (admin); the secret is shown once */
        post: operations["createClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's feed of outcomes on its own indicators, gap-free
         * @description Keep next_cursor and ask again to get only the outcomes reported since: every one arrives, in commit order, also while many are reported concurrently (the same guarantee as /v1/feed).
         */
        get: operations["getOutcomeFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sharing-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sharing groups: all for admins, otherwise those the caller belongs to */
        get: operations["listSharingGroups"];
        put?: never;
        /** Create a sharing group (admin) */
        post: operations["createSharingGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sharing-groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename a sharing group or replace its members (admin) */
        patch: operations["updateSharingGroup"];
        trace?: never;
    };
    "/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The exchange in numbers: reports, outcomes, time to action, consumers' lag (admin)
         * @description Counts by status, type, sector, TLP and source; outcomes by action; median and p90 time from report to blocked, taken_down and domain_seized by country and by intermediary; each consumer's lag behind the feed head.
         */
        get: operations["getStatistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The same about the caller's own reports and its own clients' feeds */
        get: operations["getMyStatistics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/warninglists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The warninglists values are checked against */
        get: operations["listWarninglists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/warninglists/{name}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add entries (domains, IPs, CIDRs) to a warninglist (admin); a new name creates a list */
        post: operations["addWarninglistEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Long lists of organisations count towards the weight of every indicator they are given to: a sharing group is lighter */
        Audience: {
            countries?: string[];
            /** @description Sharing groups the submitting organisation is a member of (the secretariat may name any) */
            groups?: string[];
            kinds?: ("partner" | "agency" | "intermediary")[];
            orgs?: string[];
        };
        /** @enum {string} */
        AuditAction: "token.issued" | "token.refused" | "org.created" | "client.created" | "client.revoked" | "client.tsig_rotated" | "dns_zone.updated" | "sharing_group.created" | "sharing_group.updated" | "signing_key.added" | "signing_key.retired" | "indicator.created" | "indicator.updated" | "indicator.withdrawn" | "indicator.extended" | "indicator.expired" | "indicator.purged" | "saved_feed.created" | "warninglist.entries_added" | "outcome.reported" | "delivery";
        /** @description Never an indicator's value or other content: those are purged after retention, the trail stays */
        AuditEntry: {
            action: components["schemas"]["AuditAction"];
            /** @description A client id, or system:sweeper, system:cli, system:bootstrap */
            actor: string;
            actor_org: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            at: string;
            detail: {
                [key: string]: unknown;
            } | null;
            entry: number | null;
            hash: string | null;
            /** @description The audit row (the order entries were written in) */
            id: number;
            /** @description The indicators concerned, at the version concerned (received, written) */
            indicators: {
                /** Format: uuid */
                id: string;
                version: number;
            }[];
            path: string | null;
            subject: string | null;
            subject_org: string | null;
        };
        /** @description Newest first; a page also ends at about 8 MiB */
        AuditPage: {
            has_more: boolean;
            items: components["schemas"]["AuditEntry"][];
            next_cursor: string | null;
        };
        AuditVerification: {
            /** @description Entries verified */
            entries: number;
            head: {
                /**
                 * Format: date-time
                 * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
                 */
                at: string;
                entry: number;
                hash: string;
            } | null;
            ok: boolean;
            /** @description Entries written but not chained yet */
            pending: number;
            /** @description What is wrong, entry by entry (at most 100) */
            problems: {
                audit_id?: number;
                entry?: number;
                problem: string;
            }[];
        };
        BatchResult: {
            results: components["schemas"]["ItemResult"][];
            summary: {
                created: number;
                rejected: number;
                skipped?: number;
                unchanged: number;
                unsupported?: number;
                updated: number;
            };
        };
        /**
         * @example {
         *       "name": "ingest-bot"
         *     }
         * @example {
         *       "name": "feed-reader",
         *       "scopes": [
         *         "feed:read"
         *       ]
         *     }
         */
        ClientCreate: {
            name: string;
            scopes?: components["schemas"]["Scope"][];
        };
        ClientCreated: {
            client_id: string;
            /** @description Shown once; only a slow hash is stored. */
            client_secret: string;
            name: string;
            scopes: components["schemas"]["Scope"][];
            tsig_key?: components["schemas"]["TsigKeyIssued"];
        };
        DnsZone: {
            /** @enum {string} */
            algorithm: "hmac-sha256";
            client_id: string;
            /** @description domains, addresses and networks in the zone */
            entries: number;
            key_name: string;
            /** @description secondaries told of each change (address or address:port) */
            notify: string[];
            policy: components["schemas"]["RpzPolicy"];
            /** @description SOA serial of the zone's current version */
            serial: number;
            zone: string;
        };
        /**
         * @example {
         *       "policy": "walled_garden",
         *       "notify": [
         *         "192.0.2.53",
         *         "[2001:db8::53]:5353"
         *       ]
         *     }
         */
        DnsZonePatch: {
            notify?: string[];
            policy?: components["schemas"]["RpzPolicy"];
        };
        Evidence: {
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            captured_at?: string;
            description?: string;
            sha256: string;
        };
        Exclusion: {
            countries?: string[];
            orgs?: string[];
        };
        ExtendBody: {
            ids: string[];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_until: string;
        };
        ExtendResult: {
            results: {
                errors?: {
                    message: string;
                    path: string;
                }[];
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                status: "extended" | "unchanged" | "not_found" | "not_active" | "rejected";
                version?: number;
            }[];
            summary: {
                extended: number;
                not_active: number;
                not_found: number;
                rejected: number;
                unchanged: number;
            };
        };
        FeedFilters: {
            include_shared?: boolean;
            min_confidence?: number;
            sectors?: ("film_tv" | "music" | "live_sports" | "software" | "publishing" | "games" | "other")[];
            tlp?: ("CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED")[];
            types?: ("domain" | "url" | "ipv4" | "ipv6" | "cidr" | "asn" | "email" | "iban" | "crypto_address" | "payment_account" | "social_account" | "app" | "tracking_id")[];
        };
        FeedPage: {
            has_more: boolean;
            items: (components["schemas"]["Indicator"] | components["schemas"]["Tombstone"])[];
            /** @description Opaque; ask again with it to get only what changed since */
            next_cursor: string;
        };
        /** @description 3x5x2 grading; conditions (at most 2,000 characters) required when handling is C */
        Grading: {
            /** @enum {string} */
            assessment: "A" | "B" | "C" | "D" | "E";
            conditions?: string;
            /** @enum {string} */
            handling: "P" | "C";
            /** @enum {string} */
            source: "1" | "2" | "3";
        };
        GraphEdge: {
            /** @description where the two meet */
            observable: {
                platform: string | null;
                type: components["schemas"]["IndicatorType"];
                value: string;
            };
            /** Format: uuid */
            source: string;
            /** Format: uuid */
            target: string;
            /** @description `corroboration` (both report the observable), a relation type (the source submitted it, pointing at the target's value), `domain`, `host` or `registrable_domain` (derived from the source's value), `shared` (both point at the observable), `contains` (the source's address or network contains the target's) */
            type: string;
        };
        GraphNode: components["schemas"]["Indicator"] & {
            /** @description /related: indicator hops from the start */
            depth?: number;
        };
        /** @description audience, exclude, attribution, created_at, withdrawn_reason and delivered (in reads, lists and lookups) are shown to the source and the secretariat only. Past retention its value reads purged:<id> and its content is empty */
        Indicator: {
            /** @enum {string} */
            attribution?: "named" | "anonymous";
            audience?: components["schemas"]["Audience"] | null;
            categories: string[];
            confidence: number;
            /** @description In single reads, lists, lookups and graph nodes; not in feed items */
            corroboration?: {
                /** @description sources that reported this observable, in reports the caller may receive (this one included) */
                sources: number;
            };
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            created_at?: string;
            /** @description Counted from the chained audit log: it trails deliveries by up to a sweep interval */
            delivered?: {
                /** @description The countries of those organisations */
                countries: number;
                /** @description Organisations, other than the source and the secretariat, that received any version of it */
                orgs: number;
            };
            description: string | null;
            disputed: boolean;
            evidence: components["schemas"]["Evidence"][];
            exclude?: components["schemas"]["Exclusion"] | null;
            first_seen: string | null;
            grading: components["schemas"]["Grading"] | null;
            /** Format: uuid */
            id: string;
            last_seen: string | null;
            /** @description Outcomes reported on it, counted by action: shown to its source and the secretariat in reads */
            outcomes?: {
                [key: string]: number;
            };
            pap: components["schemas"]["Pap"];
            platform: string | null;
            references: components["schemas"]["Reference"][];
            relations: components["schemas"]["Relation"][];
            sector: string | null;
            shared_infrastructure: string[];
            source: {
                name: string;
                /** Format: uuid */
                org_id: string;
            } | null;
            /** @enum {string} */
            status: "active" | "withdrawn" | "expired";
            tags: string[];
            tlp: components["schemas"]["Tlp"];
            type: components["schemas"]["IndicatorType"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            updated_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_from: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_until: string;
            value: string;
            version: number;
            withdrawn_reason?: string | null;
        };
        /**
         * @description At most 10,000 items and 16 MiB; JSON nested at most 32 levels deep. With its defaults applied to every item that uses them, a batch may weigh at most 64 MiB (413 otherwise; nothing is stored).
         * @example {
         *       "defaults": {
         *         "tlp": "AMBER",
         *         "pap": "GREEN",
         *         "sector": "live_sports",
         *         "categories": [
         *           "iptv_service"
         *         ]
         *       },
         *       "items": [
         *         {
         *           "type": "domain",
         *           "value": "superstreamz.tv",
         *           "relations": [
         *             {
         *               "type": "resolves_to",
         *               "target": {
         *                 "type": "ipv4",
         *                 "value": "185.234.72.19"
         *               }
         *             }
         *           ]
         *         },
         *         {
         *           "type": "ipv4",
         *           "value": "185.234.72.19",
         *           "confidence": 80
         *         },
         *         {
         *           "type": "crypto_address",
         *           "platform": "btc",
         *           "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
         *         },
         *         {
         *           "type": "tracking_id",
         *           "platform": "google_analytics",
         *           "value": "G-7XK2M9QZ4P",
         *           "tlp": "RED",
         *           "audience": {
         *             "orgs": [
         *               "01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a"
         *             ]
         *           }
         *         }
         *       ]
         *     }
         */
        IndicatorBatch: {
            defaults?: components["schemas"]["IndicatorDefaults"];
            items: components["schemas"]["IndicatorInput"][];
        };
        /** @description Fields applied to every item that does not set them. Checked once: invalid defaults make the whole batch a 400. They count towards the weight of every item that uses them. An indicator may weigh at most 64 KiB (about the size of its JSON without spaces), the batch's defaults included; a heavier item is rejected on its own. */
        IndicatorDefaults: {
            /** @enum {string} */
            attribution?: "named" | "anonymous";
            audience?: components["schemas"]["Audience"];
            categories?: string[];
            confidence?: number;
            description?: string;
            evidence?: components["schemas"]["Evidence"][];
            exclude?: components["schemas"]["Exclusion"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            first_seen?: string;
            grading?: components["schemas"]["Grading"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            last_seen?: string;
            pap?: components["schemas"]["Pap"];
            /** @description Chain, provider, store or social network; required exactly for the types that have one */
            platform?: string;
            references?: components["schemas"]["Reference"][];
            relations?: components["schemas"]["Relation"][];
            /** @enum {string} */
            sector?: "film_tv" | "music" | "live_sports" | "software" | "publishing" | "games" | "other";
            tags?: string[];
            tlp?: components["schemas"]["Tlp"];
            type?: components["schemas"]["IndicatorType"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_from?: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_until?: string;
        };
        /** @description An indicator may weigh at most 64 KiB (about the size of its JSON without spaces), the batch's defaults included; a heavier item is rejected on its own. Text may not contain NUL characters or unpaired surrogates. */
        IndicatorInput: {
            /** @enum {string} */
            attribution?: "named" | "anonymous";
            audience?: components["schemas"]["Audience"];
            categories?: string[];
            confidence?: number;
            description?: string;
            evidence?: components["schemas"]["Evidence"][];
            exclude?: components["schemas"]["Exclusion"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            first_seen?: string;
            grading?: components["schemas"]["Grading"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            last_seen?: string;
            pap?: components["schemas"]["Pap"];
            /** @description Chain, provider, store or social network; required exactly for the types that have one */
            platform?: string;
            references?: components["schemas"]["Reference"][];
            relations?: components["schemas"]["Relation"][];
            /** @enum {string} */
            sector?: "film_tv" | "music" | "live_sports" | "software" | "publishing" | "games" | "other";
            tags?: string[];
            tlp?: components["schemas"]["Tlp"];
            type: components["schemas"]["IndicatorType"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_from?: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_until?: string;
            value: string;
        };
        IndicatorList: {
            items: components["schemas"]["Indicator"][];
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "tlp": "RED",
         *       "audience": {
         *         "orgs": [
         *           "01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a"
         *         ]
         *       }
         *     }
         * @example {
         *       "description": "Mirror of the main site since 2026-11-30",
         *       "confidence": 90
         *     }
         */
        IndicatorPatch: {
            /** @enum {string} */
            attribution?: "named" | "anonymous";
            audience?: components["schemas"]["Audience"];
            categories?: string[];
            confidence?: number;
            description?: string;
            evidence?: components["schemas"]["Evidence"][];
            exclude?: components["schemas"]["Exclusion"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            first_seen?: string;
            grading?: components["schemas"]["Grading"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            last_seen?: string;
            pap?: components["schemas"]["Pap"];
            references?: components["schemas"]["Reference"][];
            relations?: components["schemas"]["Relation"][];
            /** @enum {string} */
            sector?: "film_tv" | "music" | "live_sports" | "software" | "publishing" | "games" | "other";
            tags?: string[];
            tlp?: components["schemas"]["Tlp"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_from?: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            valid_until?: string;
        };
        /** @enum {string} */
        IndicatorType: "domain" | "url" | "ipv4" | "ipv6" | "cidr" | "asn" | "email" | "iban" | "crypto_address" | "payment_account" | "social_account" | "app" | "tracking_id";
        ItemResult: {
            errors?: {
                message: string;
                path: string;
            }[];
            /** Format: uuid */
            id?: string;
            index: number;
            /**
             * @description skipped and unsupported: objects of a STIX bundle that are not indicators we store (the reason in warnings or errors)
             * @enum {string}
             */
            status: "created" | "updated" | "unchanged" | "rejected" | "skipped" | "unsupported";
            /** @description STIX bundles: the id of the object at this index */
            stix_id?: string;
            value?: string;
            warnings?: string[];
        };
        LookupResult: {
            indicators: components["schemas"]["Indicator"][];
            platform: string | null;
            type: components["schemas"]["IndicatorType"];
            value: string;
            warninglists: components["schemas"]["WarninglistHit"][];
        };
        NetworkGraph: {
            by_type: {
                [key: string]: number;
            };
            edges: components["schemas"]["GraphEdge"][];
            edges_truncated: boolean;
            /** Format: uuid */
            id: string;
            /** @description indicators in the connected component that the caller may receive */
            members: number;
            /** @description the first `limit` members, nearest the start first */
            nodes: components["schemas"]["GraphNode"][];
            /** @description the component is larger than the walk reads (members and by_type then count that many) */
            truncated: boolean;
        };
        Org: {
            /** @description ISO 3166-1 alpha-2 */
            country: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            created_at: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["OrgKind"];
            name: string;
            sectors: components["schemas"]["Sector"][];
        };
        /**
         * @example {
         *       "name": "Premier Sports Rights",
         *       "kind": "partner",
         *       "country": "GB",
         *       "sectors": [
         *         "live_sports"
         *       ]
         *     }
         */
        OrgCreate: {
            /** @description ISO 3166-1 alpha-2 */
            country: string;
            kind: components["schemas"]["OrgKind"];
            name: string;
            sectors?: components["schemas"]["Sector"][];
        };
        OrgDirectoryEntry: {
            /** @description ISO 3166-1 alpha-2 */
            country: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["OrgKind"];
            name: string;
        };
        /** @enum {string} */
        OrgKind: "partner" | "agency" | "intermediary" | "secretariat";
        Outcome: {
            action: components["schemas"]["OutcomeAction"];
            case_ref: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            created_at: string;
            /** Format: uuid */
            id: string;
            indicator: {
                /** Format: uuid */
                id: string;
                platform: string | null;
                type: components["schemas"]["IndicatorType"];
                value: string;
            };
            note: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            occurred_at: string;
            reported_by: {
                /** @description ISO 3166-1 alpha-2 */
                country: string;
                kind: string;
                name: string;
                /** Format: uuid */
                org_id: string;
            };
            share_with_agencies: boolean;
        };
        /**
         * @description Intermediaries may report blocked, taken_down, not_actionable, no_longer_active. `false_positive` marks the indicator disputed (its value leaves blocklists and resolver zones); `confirmed` is its source's answer (indicators:write, source only), which clears it.
         * @enum {string}
         */
        OutcomeAction: "investigating" | "takedown_requested" | "taken_down" | "domain_seized" | "server_seized" | "blocked" | "arrest" | "assets_frozen" | "false_positive" | "not_actionable" | "no_longer_active" | "confirmed";
        OutcomeCreate: {
            action: components["schemas"]["OutcomeAction"];
            case_ref?: string;
            note?: string;
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            occurred_at?: string;
            /** @description let other agencies that may receive the indicator see this outcome (deconfliction); default false, true for confirmed */
            share_with_agencies?: boolean;
        };
        OutcomeFeedPage: {
            has_more: boolean;
            items: components["schemas"]["Outcome"][];
            /** @description Opaque; ask again with it to get only the outcomes reported since */
            next_cursor: string;
        };
        OutcomeList: {
            items: components["schemas"]["Outcome"][];
            next_cursor: string | null;
        };
        /**
         * @description Permissible Actions Protocol
         * @enum {string}
         */
        Pap: "CLEAR" | "GREEN" | "AMBER" | "RED";
        /** @description RFC 9457 problem details */
        Problem: {
            detail: string;
            errors?: components["schemas"]["ProblemDetail"][];
            status: number;
            title: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        ProblemDetail: {
            message: string;
            /** @description JSON pointer into the request: /body/..., /query/..., /params/... */
            path: string;
        };
        Reference: {
            id?: string;
            /** @enum {string} */
            kind: "court_order" | "case" | "notice" | "url";
            /** Format: uri */
            url?: string;
        };
        RelatedGraph: {
            depth: number;
            edges: components["schemas"]["GraphEdge"][];
            edges_truncated: boolean;
            /** Format: uuid */
            id: string;
            /** @description the start first, then by distance, observables shared with the level before, confidence */
            nodes: components["schemas"]["GraphNode"][];
        };
        Relation: {
            target: {
                /** @description Chain, provider, store or social network; required exactly for the types that have one */
                platform?: string;
                type: components["schemas"]["IndicatorType"];
                value: string;
            };
            /** @enum {string} */
            type: "resolves_to" | "hosted_on" | "redirects_to" | "mirror_of" | "uses_payment" | "operated_by" | "advertised_on" | "related_to";
        };
        /**
         * @description What the resolver answers for a listed name or address: NXDOMAIN, NODATA, or a CNAME to the notice page (walled_garden, when the server has RPZ_NOTICE_HOST)
         * @enum {string}
         */
        RpzPolicy: "nxdomain" | "nodata" | "walled_garden";
        SavedFeed: {
            filters: components["schemas"]["FeedFilters"];
            /** Format: uuid */
            id: string;
            name: string;
        };
        /**
         * @example {
         *       "name": "Live sports domains",
         *       "filters": {
         *         "types": [
         *           "domain",
         *           "url"
         *         ],
         *         "sectors": [
         *           "live_sports"
         *         ],
         *         "min_confidence": 60
         *       }
         *     }
         */
        SavedFeedCreate: {
            filters: components["schemas"]["FeedFilters"];
            name: string;
        };
        /** @enum {string} */
        Scope: "indicators:write" | "indicators:read" | "outcomes:read" | "outcomes:write" | "feed:read" | "admin";
        /** @enum {string} */
        Sector: "film_tv" | "music" | "live_sports" | "software" | "publishing" | "games" | "other";
        SharingGroup: {
            /** Format: uuid */
            id: string;
            members: string[];
            name: string;
        };
        /**
         * @example {
         *       "name": "Live-sports task force",
         *       "members": [
         *         "01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a",
         *         "01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0b"
         *       ]
         *     }
         */
        SharingGroupCreate: {
            members: string[];
            name: string;
        };
        /**
         * @example {
         *       "members": [
         *         "01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a"
         *       ]
         *     }
         */
        SharingGroupPatch: {
            members?: string[];
            name?: string;
        };
        Statistics: {
            consumers: {
                client_id: string;
                client_name: string;
                /** @description `feed` (/v1/feed) or a saved feed's id */
                feed: string;
                /** @description how long the oldest of those has waited; 0 when it is at the head */
                lag_seconds: number;
                /**
                 * Format: date-time
                 * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
                 */
                last_pulled_at: string;
                /** Format: uuid */
                org_id: string;
                org_name: string;
                pending_capped: boolean;
                /** @description changes after its last page that it may receive (its filters aside), counted up to 1,000 */
                pending_changes: number;
            }[];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            generated_at: string;
            indicators: {
                by_sector: {
                    [key: string]: number;
                };
                /** @description /v1/stats only: the 100 largest sources */
                by_source?: {
                    active: number;
                    name: string;
                    /** Format: uuid */
                    org_id: string;
                }[];
                by_status: {
                    [key: string]: number;
                };
                by_tlp: {
                    [key: string]: number;
                };
                /** @description active indicators; so are by_sector, by_tlp and by_source */
                by_type: {
                    [key: string]: number;
                };
                total: number;
            };
            outcomes: {
                by_action: {
                    [key: string]: number;
                };
                total: number;
            };
            time_to_action: {
                /** @description time from report to blocked, taken_down and domain_seized, by the country of the organisation that reported it */
                by_country: {
                    action: string;
                    /** @description ISO 3166-1 alpha-2 */
                    country: string;
                    median_seconds: number;
                    p90_seconds: number;
                    /** @description indicators with such an outcome (each reporter's first) */
                    reports: number;
                }[];
                by_intermediary: {
                    action: string;
                    median_seconds: number;
                    name: string;
                    /** Format: uuid */
                    org_id: string;
                    p90_seconds: number;
                    /** @description indicators with such an outcome (each reporter's first) */
                    reports: number;
                }[];
            };
        };
        /** @description A STIX 2.1 bundle of at most 10,000 objects; each gets a result at its index */
        StixBundleInput: {
            id: string;
            objects: unknown[];
            /** @description STIX 2.0 bundles carry one */
            spec_version?: string;
            /** @enum {string} */
            type: "bundle";
        };
        TaxiiApiRoot: {
            description?: string;
            /** @description the largest request body, in bytes */
            max_content_length: number;
            title: string;
            versions: string[];
        };
        TaxiiCollection: {
            alias?: string;
            can_read: boolean;
            can_write: boolean;
            description?: string;
            id: string;
            media_types?: string[];
            title: string;
        };
        TaxiiCollections: {
            collections?: components["schemas"]["TaxiiCollection"][];
        };
        TaxiiDiscovery: {
            api_roots: string[];
            /** @description the default API root */
            default?: string;
            description?: string;
            title: string;
        };
        /** @description Indicators in the order they were added, each preceded by the TLP marking definitions and source identities it references */
        TaxiiEnvelope: {
            more?: boolean;
            /** @description pass as `next` (with the same filters) for the following page */
            next?: string;
            objects?: ({
                id: string;
                type: string;
            } & {
                [key: string]: unknown;
            })[];
        };
        /** @description At most 10,000 objects; each is reported in the status resource */
        TaxiiEnvelopeInput: {
            more?: boolean;
            next?: string;
            objects: unknown[];
        };
        /** @description A TAXII error message; error_code names the problem as the rest of the API does (e.g. insufficient-scope) */
        TaxiiError: {
            description?: string;
            details?: {
                [key: string]: unknown;
            };
            error_code?: string;
            error_id?: string;
            external_details?: string;
            http_status?: string;
            title: string;
        };
        TaxiiManifest: {
            more?: boolean;
            next?: string;
            objects?: components["schemas"]["TaxiiManifestRecord"][];
        };
        TaxiiManifestRecord: {
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            date_added: string;
            id: string;
            media_type?: string;
            version: string;
        };
        TaxiiStatus: {
            failure_count: number;
            failures?: components["schemas"]["TaxiiStatusDetails"][];
            id: string;
            pending_count: number;
            pendings?: components["schemas"]["TaxiiStatusDetails"][];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            request_timestamp?: string;
            status: "complete" | "pending";
            success_count: number;
            successes?: components["schemas"]["TaxiiStatusDetails"][];
            total_count: number;
        };
        TaxiiStatusDetails: {
            id: string;
            message?: string;
            version: string;
        };
        TaxiiVersions: {
            more?: boolean;
            next?: string;
            versions?: string[];
        };
        /**
         * @description FIRST TLP 2.0
         * @enum {string}
         */
        Tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
        /**
         * @example {
         *       "grant_type": "client_credentials",
         *       "client_id": "isop_3kTqW9vZ2mLxR8pA",
         *       "client_secret": "kQ0x…shown-once-at-creation",
         *       "scope": "feed:read"
         *     }
         */
        TokenRequest: {
            client_id?: string;
            client_secret?: string;
            /** @enum {string} */
            grant_type: "client_credentials";
            scope?: string;
        };
        TokenResponse: {
            access_token: string;
            expires_in: number;
            scope: string;
            /** @enum {string} */
            token_type: "Bearer";
        };
        /** @description Sent to former recipients when an indicator is withdrawn, expires or is no longer theirs: the observable, its TLP and its source when named (null when anonymous), no content */
        Tombstone: {
            /** Format: uuid */
            id: string;
            platform: string | null;
            source: {
                name: string;
                /** Format: uuid */
                org_id: string;
            } | null;
            /** @enum {string} */
            status: "withdrawn" | "expired" | "revoked";
            tlp: components["schemas"]["Tlp"];
            type: components["schemas"]["IndicatorType"];
            /**
             * Format: date-time
             * @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second
             */
            updated_at: string;
            value: string;
            version: number;
        };
        /** @description The TSIG key of an intermediary client's resolver zone */
        TsigKeyIssued: {
            /** @enum {string} */
            algorithm: "hmac-sha256";
            key_name: string;
            /** @description base64; shown once (kept sealed, see the operator guide) */
            secret: string;
            /** @description the resolver zone (RPZ) of this client, to transfer from the DNS primary */
            zone: string;
        };
        /**
         * @example {
         *       "entries": [
         *         "cdn.example-video.net",
         *         "203.0.113.0/24"
         *       ],
         *       "action": "flag",
         *       "description": "Shared video CDN"
         *     }
         */
        WarninglistEntriesBody: {
            /** @enum {string} */
            action?: "reject" | "flag";
            description?: string;
            entries: string[];
        };
        WarninglistHit: {
            /** @enum {string} */
            action: "reject" | "flag";
            entry: string;
            list: string;
        };
        /**
         * @example {
         *       "reason": "Site taken down and the domain is parked"
         *     }
         */
        WithdrawBody: {
            reason?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiDiscovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the API roots */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiDiscovery"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiApiRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the API root */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiApiRoot"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTaxiiCollections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the collections */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiCollections"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                collectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the collection */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiCollection"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiManifest: {
        parameters: {
            query?: {
                /** @description only what was added after this time (X-TAXII-Date-Added-Last of the previous poll) */
                added_after?: string;
                /** @description at most 10,000 (a larger limit is taken as that); default 1000 */
                limit?: number;
                /** @description STIX ids, comma-separated */
                "match[id]"?: string;
                /** @description 2.1 */
                "match[spec_version]"?: string;
                /** @description STIX types, comma-separated (indicator; marking-definition and identity come with them) */
                "match[type]"?: string;
                /** @description last (default), first, all, or versions (timestamps), comma-separated */
                "match[version]"?: string;
                /** @description the `next` of the previous page, with the same filters */
                next?: string;
            };
            header?: never;
            path: {
                collectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one page of the manifest (X-TAXII-Date-Added-First/-Last) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiManifest"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiObjects: {
        parameters: {
            query?: {
                /** @description only what was added after this time (X-TAXII-Date-Added-Last of the previous poll) */
                added_after?: string;
                /** @description at most 10,000 (a larger limit is taken as that); default 1000 */
                limit?: number;
                /** @description STIX ids, comma-separated */
                "match[id]"?: string;
                /** @description 2.1 */
                "match[spec_version]"?: string;
                /** @description STIX types, comma-separated (indicator; marking-definition and identity come with them) */
                "match[type]"?: string;
                /** @description last (default), first, all, or versions (timestamps), comma-separated */
                "match[version]"?: string;
                /** @description the `next` of the previous page, with the same filters */
                next?: string;
            };
            header?: never;
            path: {
                collectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one page (X-TAXII-Date-Added-First/-Last) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiEnvelope"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addTaxiiObjects: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                collectionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/taxii+json": components["schemas"]["TaxiiEnvelopeInput"];
            };
        };
        responses: {
            /** @description the status of the addition (complete) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiStatus"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description a TAXII error message */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
        };
    };
    getTaxiiObject: {
        parameters: {
            query?: {
                /** @description only what was added after this time (X-TAXII-Date-Added-Last of the previous poll) */
                added_after?: string;
                /** @description at most 10,000 (a larger limit is taken as that); default 1000 */
                limit?: number;
                /** @description 2.1 */
                "match[spec_version]"?: string;
                /** @description last (default), first, all, or versions (timestamps), comma-separated */
                "match[version]"?: string;
                /** @description the `next` of the previous page, with the same filters */
                next?: string;
            };
            header?: never;
            path: {
                collectionId: string;
                objectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the object */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiEnvelope"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiObjectVersions: {
        parameters: {
            query?: {
                /** @description only what was added after this time (X-TAXII-Date-Added-Last of the previous poll) */
                added_after?: string;
                /** @description at most 10,000 (a larger limit is taken as that); default 1000 */
                limit?: number;
                /** @description 2.1 */
                "match[spec_version]"?: string;
                /** @description the `next` of the previous page, with the same filters */
                next?: string;
            };
            header?: never;
            path: {
                collectionId: string;
                objectId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiVersions"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxiiStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                statusId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the status resource */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiStatus"];
                };
            };
            /** @description a TAXII error message */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description a TAXII error message */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/taxii+json;version=2.1": components["schemas"]["TaxiiError"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                action?: components["schemas"]["AuditAction"];
                /** @description a client id, or system:sweeper, system:cli, system:bootstrap */
                actor?: string;
                cursor?: string;
                indicator_id?: string;
                limit?: number;
                org_id?: string;
                /** @description deliveries by this path (read, feed:json …) */
                path?: string;
                /** @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second */
                since?: string;
                /** @description RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first; a page also ends at about 8 MiB */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyAudit: {
        parameters: {
            query?: {
                /** @description an entry number to start after */
                after?: number;
                /** @description that entry's published hash */
                hash?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    issueToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBlocklist: {
        parameters: {
            query?: {
                format?: "txt" | "csv" | "rpz";
                include_shared?: boolean;
                /** @description format=rpz: the zone's name (its $ORIGIN); default `RPZ_ORIGIN` */
                origin?: string;
                /** @description format=rpz: what the resolver answers — NXDOMAIN, NODATA, or a CNAME to the notice page (walled_garden) */
                policy?: "nxdomain" | "nodata" | "walled_garden";
                /** @description required except with format=rpz */
                type?: "domain" | "ipv4" | "ipv6" | "url";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The values, one per line; a zone file for format=rpz */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "text/plain": string;
                };
            };
            /** @description Unchanged since the ETag in If-None-Match */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDnsZone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DnsZone"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateDnsZone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DnsZonePatch"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DnsZone"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateTsigKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The TSIG key of an intermediary client's resolver zone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TsigKeyIssued"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOwnDnsZone: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DnsZone"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFeed: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page; omit to start from the beginning */
                cursor?: string;
                format?: "json" | "ndjson" | "csv" | "stix";
                include_shared?: boolean;
                limit?: number;
                min_confidence?: number;
                /** @description comma-separated: film_tv, music, live_sports, software, publishing, games, other */
                sectors?: string;
                /** @description comma-separated: CLEAR, GREEN, AMBER, AMBER+STRICT, RED */
                tlp?: string;
                /** @description comma-separated: domain, url, ipv4, ipv6, cidr, asn, email, iban, crypto_address, payment_account, social_account, app, tracking_id */
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the feed. NDJSON, CSV and STIX carry the next cursor in X-Next-Cursor (and X-Has-More). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedPage"];
                    "application/stix+json;version=2.1": {
                        [key: string]: unknown;
                    };
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            /** @description The page is the one in If-None-Match (its ETag) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamFeed: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page; omit to start from the beginning */
                cursor?: string;
                include_shared?: boolean;
                min_confidence?: number;
                /** @description comma-separated: film_tv, music, live_sports, software, publishing, games, other */
                sectors?: string;
                /** @description comma-separated: CLEAR, GREEN, AMBER, AMBER+STRICT, RED */
                tlp?: string;
                /** @description comma-separated: domain, url, ipv4, ipv6, cidr, asn, email, iban, crypto_address, payment_account, social_account, app, tracking_id */
                types?: string;
            };
            header?: {
                /** @description the id of the last event received: resume after it */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream: `retry:`, then `item` and `tombstone` events and heartbeat comments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSavedFeeds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SavedFeed"][];
                        next_cursor: null;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSavedFeed: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedFeedCreate"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedFeed"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSavedFeedItems: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page; omit to start from the beginning */
                cursor?: string;
                format?: "json" | "ndjson" | "csv" | "stix";
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the feed. NDJSON, CSV and STIX carry the next cursor in X-Next-Cursor (and X-Has-More). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedPage"];
                    "application/stix+json;version=2.1": {
                        [key: string]: unknown;
                    };
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            /** @description The page is the one in If-None-Match (its ETag) */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listIndicators: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description active indicators whose valid_until falls within this many days, e.g. 30d (review: extend them with PATCH valid_until or POST /v1/indicators/extend) */
                expiring_within?: string;
                limit?: number;
                platform?: string;
                received?: boolean;
                status?: "active" | "withdrawn" | "expired";
                type?: "domain" | "url" | "ipv4" | "ipv6" | "cidr" | "asn" | "email" | "iban" | "crypto_address" | "payment_account" | "social_account" | "app" | "tracking_id";
                value?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IndicatorList"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submitIndicators: {
        parameters: {
            query?: {
                atomic?: boolean;
            };
            header?: {
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IndicatorBatch"];
                "application/stix+json": components["schemas"]["StixBundleInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description atomic batch with rejected items (nothing stored), or an Idempotency-Key reused with another body */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"] | components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getIndicator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description audience, exclude, attribution, created_at, withdrawn_reason and delivered (in reads, lists and lookups) are shown to the source and the secretariat only. Past retention its value reads purged:<id> and its content is empty */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Indicator"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawIndicator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WithdrawBody"];
            };
        };
        responses: {
            /** @description audience, exclude, attribution, created_at, withdrawn_reason and delivered (in reads, lists and lookups) are shown to the source and the secretariat only. Past retention its value reads purged:<id> and its content is empty */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Indicator"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateIndicator: {
        parameters: {
            query?: never;
            header?: {
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IndicatorPatch"];
            };
        };
        responses: {
            /** @description audience, exclude, attribution, created_at, withdrawn_reason and delivered (in reads, lists and lookups) are shown to the source and the secretariat only. Past retention its value reads purged:<id> and its content is empty */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Indicator"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The `If-Match` version is not the current one */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getIndicatorNetwork: {
        parameters: {
            query?: {
                format?: "json" | "stix";
                /** @description nodes returned at most */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The network */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NetworkGraph"];
                    "application/stix+json;version=2.1": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOutcomes: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutcomeList"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reportOutcome: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OutcomeCreate"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Outcome"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRelatedIndicators: {
        parameters: {
            query?: {
                depth?: number;
                format?: "json" | "stix";
                /** @description nodes at most, the start included */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The graph */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelatedGraph"];
                    "application/stix+json;version=2.1": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    extendIndicators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtendBody"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtendResult"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    lookupObservable: {
        parameters: {
            query: {
                platform?: string;
                type: "domain" | "url" | "ipv4" | "ipv6" | "cidr" | "asn" | "email" | "iban" | "crypto_address" | "payment_account" | "social_account" | "app" | "tracking_id";
                value: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LookupResult"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrgs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["OrgDirectoryEntry"][];
                        next_cursor: null;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createOrg: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrgCreate"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Org"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientCreate"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientCreated"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOutcomeFeed: {
        parameters: {
            query?: {
                /** @description next_cursor of the previous page; omit to start from the beginning */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutcomeFeedPage"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSharingGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SharingGroup"][];
                        next_cursor: null;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSharingGroup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SharingGroupCreate"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharingGroup"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateSharingGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SharingGroupPatch"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharingGroup"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getStatistics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statistics"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyStatistics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statistics"];
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWarninglists: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            description: string;
                            entries: number;
                            name: string;
                        }[];
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addWarninglistEntries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WarninglistEntriesBody"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        action: string;
                        added: number;
                        list: string;
                    };
                };
            };
            /** @description Invalid request: a parameter, property or value the schema does not allow (`errors` names each) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The credentials lack a scope this operation needs */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than this operation accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation accepts */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests from this client or address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
