import t from 'tap';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { readdirSync } from 'node:fs';
import { getDomain } from 'tldts';
import {
  WarninglistMatcher, loadShippedWarninglists, parseWarninglistEntry,
  type Warninglist, type WarninglistHit,
} from '../../src/domain/warninglists.js';
import { projectRoot } from '../../src/paths.js';
import type { IndicatorType } from '../../src/domain/types.js';

const shipped = loadShippedWarninglists();
const matcher = new WarninglistMatcher(shipped);

const lists = (hits: WarninglistHit[]): string[] => hits.map((h) => h.list);
const hitOf = (hits: WarninglistHit[], list: string): WarninglistHit | undefined => hits.find((h) => h.list === list);

function list(name: string, action: Warninglist['action'], entries: string[]): Warninglist {
  return { name, action, description: `${name} test list`, sources: ['test'], entries };
}

// ---------------------------------------------------------------------------------------------
// Shipped data

t.test('shipped data: every file is a well-formed list whose entries are in normal form', async (t) => {
  const files = readdirSync(new URL('data/warninglists/', projectRoot)).filter((f) => f.endsWith('.json')).sort();
  t.same(shipped.map((l) => `${l.name}.json`), files, 'one list per file, named after the file');
  t.same(new Set(shipped.map((l) => l.name)), new Set([
    'reserved-ranges', 'public-dns-resolvers', 'cloudflare', 'akamai', 'fastly', 'google-cloud',
    'amazon-cloudfront', 'top-domains', 'url-shorteners', 'file-hosts',
  ]));
  for (const l of shipped) {
    t.ok(l.sources.length > 0 && l.sources.every((s) => s.trim() !== ''), `${l.name} names its sources`);
    t.ok(l.description.length > 20, `${l.name} has a description`);
    t.ok(l.entries.length > 0, `${l.name} has entries`);
    const bad = l.entries.filter((e) => parseWarninglistEntry(e)?.normal !== e);
    t.same(bad, [], `${l.name}: every entry parses and is already in normal form`);
    t.equal(new Set(l.entries).size, l.entries.length, `${l.name}: no duplicate entries`);
  }
  const actions = Object.fromEntries(shipped.map((l) => [l.name, l.action]));
  t.equal(actions['reserved-ranges'], 'reject');
  t.equal(actions['public-dns-resolvers'], 'reject');
  for (const name of ['cloudflare', 'akamai', 'fastly', 'google-cloud', 'amazon-cloudfront', 'top-domains', 'url-shorteners', 'file-hosts']) {
    t.equal(actions[name], 'flag', `${name} flags`);
  }
});

t.test('shipped data: top-domains holds at least 500 registrable domains, none a platform of customer subdomains', async (t) => {
  const top = shipped.find((l) => l.name === 'top-domains') as Warninglist;
  t.ok(top.entries.length >= 500, `${top.entries.length} domains`);
  t.same(top.entries.filter((d) => getDomain(d) !== d), [], 'each entry is its own registrable domain (ICANN rules)');
  // Private public-suffix entries (blogspot.com, github.io, …) host other people's sites: a pirate
  // site on one of them must stay blockable. Google operates these two itself.
  const operatedByOwner = new Set(['googleapis.com', 'withgoogle.com']);
  t.same(top.entries.filter((d) => !operatedByOwner.has(d) && getDomain(d, { allowPrivateDomains: true }) !== d), []);
  for (const d of ['google.com', 'youtube.com', 'facebook.com', 'netflix.com', 'spotify.com', 'wikipedia.org']) {
    t.ok(top.entries.includes(d), d);
  }
});

t.test('shipped data: the matcher reports every list with its entry count', async (t) => {
  const summary = matcher.lists();
  t.same(summary.map((l) => l.name).sort(), shipped.map((l) => l.name).sort());
  t.same(summary.slice(0, 2).map((l) => l.action), ['reject', 'reject'], 'reject lists first');
  const cloudflare = summary.find((l) => l.name === 'cloudflare');
  t.equal(cloudflare?.entries, shipped.find((l) => l.name === 'cloudflare')?.entries.length);
});

// ---------------------------------------------------------------------------------------------
// Domains

t.test('domains: exact and parent-domain matches', async (t) => {
  t.same(matcher.match('domain', 'google.com'), [{ list: 'top-domains', action: 'flag', entry: 'google.com' }]);
  t.same(hitOf(matcher.match('domain', 'drive.usercontent.google.com'), 'top-domains')?.entry, 'google.com');
  t.same(hitOf(matcher.match('domain', 'www.netflix.com'), 'top-domains')?.entry, 'netflix.com');

  const subDrive = matcher.match('domain', 'sub.drive.google.com');
  t.same(lists(subDrive), ['file-hosts', 'top-domains'], 'both lists, each once, in list order');
  t.equal(hitOf(subDrive, 'file-hosts')?.entry, 'drive.google.com', 'the most specific entry of a list');
  t.same(lists(matcher.match('domain', 'mail.google.com')), ['top-domains'], 'drive.google.com covers only its subtree');
  subDrive.pop();
  t.equal(matcher.match('domain', 'sub.drive.google.com').length, 2, 'an answer is the caller\'s to change');
  t.ok(Object.isFrozen(subDrive[0]), 'hits are shared and frozen');
  t.same(lists(matcher.match('domain', 'Sub.Drive.Google.COM.')), ['file-hosts', 'top-domains'], 'case and a trailing dot do not matter');

  t.same(matcher.match('domain', 'bit.ly'), [{ list: 'url-shorteners', action: 'flag', entry: 'bit.ly' }]);
  t.same(lists(matcher.match('domain', 'd1234abcd.cloudfront.net')), ['amazon-cloudfront']);
  t.same(lists(matcher.match('domain', 'mega.nz')), ['file-hosts']);
});

t.test('domains: look-alikes do not match', async (t) => {
  for (const domain of ['notgoogle.com', 'google.com.evil.io', 'googlecom.io', 'evil-google.com', 'bit.ly.example.net', 'xdrive.google.co']) {
    t.same(matcher.match('domain', domain), [], domain);
  }
  t.same(matcher.match('domain', 'oogle.com'), []);
});

t.test('urls and e-mails match by their host', async (t) => {
  t.same(lists(matcher.match('url', 'https://drive.google.com/file/d/abc/view')), ['file-hosts', 'top-domains']);
  t.same(lists(matcher.match('url', 'http://bit.ly/3xYz')), ['url-shorteners']);
  t.same(lists(matcher.match('url', 'https://user@www.youtube.com:8443/watch?v=1')), ['top-domains']);
  t.same(matcher.match('url', 'https://google.com.evil.io/google.com'), [], 'the path is not the host');
  t.same(lists(matcher.match('url', 'http://104.16.0.1/stream.m3u8')), ['cloudflare']);
  t.same(lists(matcher.match('url', 'http://[2606:4700::1]:8080/x')), ['cloudflare']);
  t.same(lists(matcher.match('url', 'http://10.0.0.1/')), ['reserved-ranges']);
  t.same(lists(matcher.match('email', 'someone@gmail.com')), ['top-domains']);
  t.same(matcher.match('email', 'gmail.com@pirate.example'), [], 'the domain is after the last @');
});

t.test('types without a host or an address match nothing', async (t) => {
  const others: IndicatorType[] = ['asn', 'iban', 'crypto_address', 'payment_account', 'social_account', 'app', 'tracking_id'];
  for (const type of others) t.same(matcher.match(type, 'google.com'), [], type);
});

// ---------------------------------------------------------------------------------------------
// IP addresses and networks

t.test('IPv4 and IPv6 addresses inside Cloudflare ranges are flagged', async (t) => {
  t.same(matcher.match('ipv4', '104.16.0.1'), [{ list: 'cloudflare', action: 'flag', entry: '104.16.0.0/13' }]);
  t.same(matcher.match('ipv4', '104.23.255.255'), [{ list: 'cloudflare', action: 'flag', entry: '104.16.0.0/13' }], 'last address');
  t.same(matcher.match('ipv4', '104.15.255.255'), [], 'just below the range');
  t.same(matcher.match('ipv6', '2606:4700::1'), [{ list: 'cloudflare', action: 'flag', entry: '2606:4700::/32' }]);
  t.same(matcher.match('ipv6', '2606:4701::1'), []);
  t.same(lists(matcher.match('ipv4', '151.101.1.69')), ['fastly']);
  t.same(lists(matcher.match('ipv4', '142.250.180.14')), ['google-cloud']);
});

t.test('reject lists: private ranges and public resolvers, listed before flag lists', async (t) => {
  t.same(matcher.match('ipv4', '10.1.2.3'), [{ list: 'reserved-ranges', action: 'reject', entry: '10.0.0.0/8' }]);
  t.same(matcher.match('ipv6', 'fd00::1'), [{ list: 'reserved-ranges', action: 'reject', entry: 'fc00::/7' }]);
  t.equal(hitOf(matcher.match('ipv4', '192.0.0.9'), 'reserved-ranges')?.entry, '192.0.0.9/32', 'the most specific entry');
  t.same(lists(matcher.match('ipv4', '255.255.255.255')), ['reserved-ranges'], 'top of the address space');
  t.same(lists(matcher.match('ipv4', '0.0.0.0')), ['reserved-ranges'], 'bottom of the address space');
  t.same(lists(matcher.match('ipv6', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')), ['reserved-ranges']);

  const dns = matcher.match('ipv4', '8.8.8.8');
  t.same(dns, [
    { list: 'public-dns-resolvers', action: 'reject', entry: '8.8.8.8' },
    { list: 'google-cloud', action: 'flag', entry: '8.8.8.0/24' },
  ]);
  t.same(lists(matcher.match('ipv4', '8.8.8.9')), ['google-cloud'], 'a neighbour of a resolver is not a resolver');
  t.same(lists(matcher.match('ipv6', '2001:4860:4860::8888')), ['public-dns-resolvers', 'google-cloud']);
  t.same(lists(matcher.match('ipv4', '1.1.1.1')), ['public-dns-resolvers']);
  t.same(matcher.match('ipv4', '93.184.215.14'), [], 'an ordinary address');
});

t.test('cidr: overlap in both directions', async (t) => {
  t.same(matcher.match('cidr', '104.16.5.0/24'), [{ list: 'cloudflare', action: 'flag', entry: '104.16.0.0/13' }], 'inside a listed range');
  t.same(lists(matcher.match('cidr', '104.16.0.0/12')), ['cloudflare'], 'contains listed ranges');
  t.same(matcher.match('cidr', '104.15.0.0/16'), [], 'next to a listed range');
  t.same(lists(matcher.match('cidr', '10.0.0.0/8')), ['reserved-ranges']);
  t.same(lists(matcher.match('cidr', '8.8.8.0/24')), ['public-dns-resolvers', 'google-cloud'], 'reject first');
  t.same(lists(matcher.match('cidr', '2606:4700::/48')), ['cloudflare']);
  t.same(lists(matcher.match('cidr', '2606::/16')), ['public-dns-resolvers', 'cloudflare', 'google-cloud'], 'contains listed IPv6 ranges');
  const everything = lists(matcher.match('cidr', '0.0.0.0/0'));
  t.same(everything.slice(0, 2), ['public-dns-resolvers', 'reserved-ranges'], 'reject lists first');
  t.ok(everything.includes('akamai') && everything.includes('amazon-cloudfront'));
});

t.test('the most specific entry of each list wins, reject lists first', async (t) => {
  const m = new WarninglistMatcher([
    list('wide', 'flag', ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', 'example.com', 'a.b.example.com']),
    list('block', 'reject', ['10.1.2.3', 'b.example.com']),
  ]);
  t.same(m.match('ipv4', '10.1.2.3'), [
    { list: 'block', action: 'reject', entry: '10.1.2.3' },
    { list: 'wide', action: 'flag', entry: '10.1.2.0/24' },
  ]);
  t.equal(m.match('ipv4', '10.1.3.1')[0]?.entry, '10.1.0.0/16');
  t.equal(m.match('ipv4', '10.2.0.0')[0]?.entry, '10.0.0.0/8');
  t.same(m.match('domain', 'x.a.b.example.com'), [
    { list: 'block', action: 'reject', entry: 'b.example.com' },
    { list: 'wide', action: 'flag', entry: 'a.b.example.com' },
  ]);
  t.same(m.match('cidr', '10.1.128.0/17'), [{ list: 'wide', action: 'flag', entry: '10.1.0.0/16' }], 'smallest range containing the network');
  t.same(m.match('cidr', '10.1.2.0/23'), [
    { list: 'block', action: 'reject', entry: '10.1.2.3' },
    { list: 'wide', action: 'flag', entry: '10.1.2.0/24' },
  ], 'a network holding listed ranges: the most specific entry at its lowest overlapping address');
});

t.test('IP matching agrees with ipaddr.js for any address spelling', async (t) => {
  const m = new WarninglistMatcher([list('all', 'flag', ['0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'])]);
  fc.assert(fc.property(fc.ipV4(), (ip) => m.match('ipv4', ip)[0]?.entry === (ipaddr.parse(ip).toByteArray()[0]! < 128 ? '0.0.0.0/1' : '128.0.0.0/1')));
  fc.assert(fc.property(fc.ipV6(), (ip) => m.match('ipv6', ip)[0]?.entry === (ipaddr.parse(ip).toByteArray()[0]! < 128 ? '::/1' : '8000::/1')));
  t.same(m.match('ipv6', 'not::an::address'), []);
  t.same(m.match('ipv4', '1.2.3'), []);
  t.same(m.match('ipv4', '01.2.3.4'), [], 'no leading zeros');
  for (const bad of ['1::2:', ':1::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '::1.2.3', 'g::1']) t.same(m.match('ipv6', bad), [], bad);
  for (const bad of ['10.0.0.0/33', '10.0.0.0/', 'garbage/24', '::/129', '::/1a']) t.same(m.match('cidr', bad), [], bad);
  t.same(m.match('cidr', '10.0.0.0'), [{ list: 'all', action: 'flag', entry: '0.0.0.0/1' }], 'a bare address is read as one');

  // Random single addresses and networks against a brute-force containment check.
  const entries = ['3.0.0.0/8', '3.4.0.0/16', '3.4.5.6', '200.1.2.0/24', '2001:db8::/32', '2001:db8:1::/48', '2001:db8:1::5'];
  const small = new WarninglistMatcher([list('x', 'flag', entries.slice(0, 4)), list('y', 'flag', entries.slice(4))]);
  const nets = entries.map((e) => ipaddr.parseCIDR(e.includes('/') ? e : `${e}/${e.includes(':') ? 128 : 32}`));
  const ipArb = fc.oneof(
    fc.tuple(fc.constantFrom(3, 200), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
    fc.tuple(fc.constantFrom(0, 1, 2), fc.nat(0xffff)).map(([g, x]) => `2001:db8:${g}::${x.toString(16)}`),
  );
  fc.assert(fc.property(ipArb, (ip) => {
    const address = ipaddr.parse(ip);
    const expected = nets.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
    return (small.match(address.kind() === 'ipv4' ? 'ipv4' : 'ipv6', ip).length > 0) === expected;
  }));
});

// ---------------------------------------------------------------------------------------------
// Runtime additions and validation

t.test('admins add entries at run time', async (t) => {
  const m = new WarninglistMatcher(shipped);
  t.same(m.match('domain', 'cdn.example-partner.net'), []);
  m.add({ name: 'partner-infra', action: 'flag', description: 'added by an admin' }, ['example-partner.net', '198.51.100.0/24']);
  t.same(m.match('domain', 'cdn.example-partner.net'), [{ list: 'partner-infra', action: 'flag', entry: 'example-partner.net' }]);
  t.same(lists(m.match('ipv4', '198.51.100.7')), ['reserved-ranges', 'partner-infra']);

  m.add({ name: 'cloudflare', action: 'flag', description: 'ignored for an existing list' }, ['Newly-Found.Example.COM', '203.0.113.9']);
  t.same(m.match('domain', 'newly-found.example.com'), [{ list: 'cloudflare', action: 'flag', entry: 'newly-found.example.com' }], 'entries are normalised');
  t.equal(m.lists().find((l) => l.name === 'cloudflare')?.description, shipped.find((l) => l.name === 'cloudflare')?.description);
  t.same(matcher.match('domain', 'newly-found.example.com'), [], 'other matchers are unaffected');

  m.add({ name: 'partner-infra', action: 'flag', description: 'x' }, ['bit.ly']);
  t.same(lists(m.match('url', 'https://bit.ly/abc')), ['url-shorteners', 'partner-infra'], 'one domain in two lists, lists in the order added');

  m.add({ name: 'manual-reject', action: 'reject', description: 'x' }, ['203.0.113.0/25']);
  t.same(lists(m.match('ipv4', '203.0.113.9')), ['reserved-ranges', 'manual-reject', 'cloudflare'], 'a new reject list sorts before flag lists');
});

t.test('bad entries and bad lists are refused with a clear error, changing nothing', async (t) => {
  const m = new WarninglistMatcher([list('x', 'flag', ['example.com'])]);
  for (const bad of ['', 'not a domain', 'com', 'co.uk', '10.1.2.3/8', '1.2.3.4/33', '2001:db8::/129', '300.1.1.1', 'http://example.com/', 'fe80::1%eth0', '-bad-.com']) {
    t.equal(parseWarninglistEntry(bad), null, JSON.stringify(bad));
  }
  t.throws(() => m.add({ name: 'x', action: 'flag', description: 'x' }, ['good.example.net', 'not a domain']), /"not a domain" is not a domain, an IP address or a CIDR/);
  t.same(m.match('domain', 'good.example.net'), [], 'the good entry of a refused batch was not added');
  t.throws(() => m.add({ name: 'x', action: 'reject', description: 'x' }, ['a.example']), /x is a flag list/);
  t.throws(() => m.add({ name: 'Bad Name', action: 'flag', description: 'x' }, []), /warninglist name/);
  t.throws(() => m.add({ name: 'y', action: 'block' as 'flag', description: 'x' }, []), /action must be/);
  t.throws(() => new WarninglistMatcher([list('z', 'flag', []), list('z', 'flag', [])]), /given twice/);
});

t.test('parseWarninglistEntry returns the normal form and kind', async (t) => {
  t.same(parseWarninglistEntry('Example.COM.'), { kind: 'domain', normal: 'example.com' });
  t.same(parseWarninglistEntry('bücher.de'), { kind: 'domain', normal: 'xn--bcher-kva.de' });
  t.same(parseWarninglistEntry(' 8.8.8.8 '), { kind: 'ip', normal: '8.8.8.8' });
  t.same(parseWarninglistEntry('2001:4860:4860:0:0:0:0:8888'), { kind: 'ip', normal: '2001:4860:4860::8888' });
  t.same(parseWarninglistEntry('2606:4700:0::/32'), { kind: 'cidr', normal: '2606:4700::/32' });
  t.same(parseWarninglistEntry('0.0.0.0/0'), { kind: 'cidr', normal: '0.0.0.0/0' });
});

t.test('loadShippedWarninglists explains a malformed file', async (t) => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const dir = mkdtempSync(join(tmpdir(), 'warninglists-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'mine.json'), '{ "name": "mine", ');
  t.throws(() => loadShippedWarninglists(pathToFileURL(dir)), /mine.json: not valid JSON/);
  writeFileSync(join(dir, 'mine.json'), JSON.stringify({ name: 'other', description: 'd', action: 'flag', sources: ['s'], entries: [] }));
  t.throws(() => loadShippedWarninglists(pathToFileURL(dir)), /mine.json: "name" must be the file name/);
  writeFileSync(join(dir, 'mine.json'), JSON.stringify({ name: 'mine', description: 'd', action: 'flag', sources: [], entries: [] }));
  t.throws(() => loadShippedWarninglists(pathToFileURL(dir)), /"sources" must be a non-empty array/);
  writeFileSync(join(dir, 'mine.json'), JSON.stringify({ name: 'mine', description: 'd', action: 'flag', sources: ['s'], entries: ['a.example'] }));
  t.same(loadShippedWarninglists(pathToFileURL(dir)).map((l) => l.entries), [['a.example']]);
});

// ---------------------------------------------------------------------------------------------
// Throughput sanity check (timings proper belong in bench/)

t.test('10,000 mixed lookups complete', async (t) => {
  const values: Array<[IndicatorType, string]> = [];
  for (let i = 0; i < 10_000; i++) {
    const n = i % 256;
    switch (i % 8) {
      case 0: values.push(['domain', `site${i}.pirate-stream.example`]); break;
      case 1: values.push(['domain', `cdn${n}.drive.usercontent.google.com`]); break;
      case 2: values.push(['url', `https://host${i}.example.org/watch/${i}?q=${n}`]); break;
      case 3: values.push(['ipv4', `104.${16 + (n % 8)}.${n}.${(i * 7) % 256}`]); break;
      case 4: values.push(['ipv4', `93.${n}.${(i * 13) % 256}.${(i * 31) % 256}`]); break;
      case 5: values.push(['ipv6', `2606:4700:${n.toString(16)}::${i.toString(16)}`]); break;
      case 6: values.push(['cidr', `185.${n}.${(i * 3) % 256}.0/24`]); break;
      default: values.push(['email', `user${i}@mail${n}.example.net`]); break;
    }
  }
  const m = new WarninglistMatcher(shipped);
  const started = process.hrtime.bigint();
  let hits = 0;
  for (const [type, value] of values) hits += m.match(type, value).length;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  // Cold code under tap's coverage instrumentation, index build included: not a benchmark.
  t.comment(`10,000 lookups in ${elapsed.toFixed(2)} ms, index build included (${hits} hits)`);
  t.equal(hits, 5000, 'the Cloudflare addresses (v4 and v6) and drive.usercontent.google.com subdomains hit, nothing else');
  t.pass();
});
