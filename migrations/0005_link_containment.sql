-- Addresses and networks in the link graph are linked by containment (an address inside a
-- network, a network inside a wider one): the `&&` (overlaps) test on inet, answered by GiST.
-- Only address-typed rows are cast, so no other value ever meets the cast.
CREATE INDEX "indicator_links_inet_idx" ON "indicator_links" USING gist (("value"::inet) inet_ops) WHERE "type" IN ('ipv4', 'ipv6', 'cidr');
