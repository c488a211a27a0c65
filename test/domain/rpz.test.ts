import t from 'tap';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { isDnsName, policyTarget, rpzIpOwner, rpzTriggers, rpzZoneText, serialFor, serialNewer } from '../../src/domain/rpz.js';

t.test('rpz-ip owner names: prefix, then the address reversed, canonical as BIND wants it', async (t) => {
  const cases: Array<[string, number | undefined, string]> = [
    ['45.9.8.7', undefined, '32.7.8.9.45.rpz-ip'],
    ['185.234.72.0', 24, '24.0.72.234.185.rpz-ip'],
    ['2001:db8::1', undefined, '128.1.zz.db8.2001.rpz-ip'],
    ['2a05:d014:100::', 48, '48.zz.100.d014.2a05.rpz-ip'],
    // A single zero word is written out; of two equal runs the first (in address order) is zz.
    ['2001:db8:0:1:1:1:1:1', undefined, '128.1.1.1.1.1.0.db8.2001.rpz-ip'],
    ['2001:db8:0:0:1:0:0:1', undefined, '128.1.0.0.1.zz.db8.2001.rpz-ip'],
    ['2001:db8:0:0:1:0:0:0', undefined, '128.zz.1.0.0.db8.2001.rpz-ip'],
    ['2a00:1450:4001:80b::200e', undefined, '128.200e.zz.80b.4001.1450.2a00.rpz-ip'],
  ];
  for (const [address, prefix, owner] of cases) t.equal(rpzIpOwner(address, prefix), owner, `${address}/${prefix ?? 'host'}`);
});

t.test('IPv6 owners read back to the address, with one zz for the longest zero run', async (t) => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }), (words) => {
    const address = ipaddr.fromByteArray(words.flatMap((w) => [w >> 8, w & 0xff])).toString();
    const labels = rpzIpOwner(address).split('.').slice(1, -1).reverse();
    const zz = labels.indexOf('zz');
    const expanded = zz < 0 ? labels : [...labels.slice(0, zz), ...Array(9 - labels.length).fill('0'), ...labels.slice(zz + 1)];
    return labels.filter((l) => l === 'zz').length <= 1
      && expanded.map((l) => parseInt(l, 16)).join() === words.join()
      && (zz < 0 || 9 - labels.length >= 2);
  }), { numRuns: 300 });
  t.pass('300 random addresses');
});

t.test('triggers: a domain and everything below it; addresses and networks as rpz-ip', async (t) => {
  t.same(rpzTriggers({ type: 'domain', value: 'pirate.tv' }), ['pirate.tv', '*.pirate.tv']);
  t.same(rpzTriggers({ type: 'cidr', value: '2a05:d014:100::/48' }), ['48.zz.100.d014.2a05.rpz-ip']);
  t.same(rpzTriggers({ type: 'ipv6', value: '2a05:d014:1::80' }), ['128.80.zz.1.d014.2a05.rpz-ip']);
  t.throws(() => rpzTriggers({ type: 'url', value: 'https://x.tv/' }));
});

t.test('policies are CNAME targets', async (t) => {
  t.equal(policyTarget('nxdomain', undefined), '.');
  t.equal(policyTarget('nodata', undefined), '*.');
  t.equal(policyTarget('walled_garden', 'notice.example.org'), 'notice.example.org.');
  t.throws(() => policyTarget('walled_garden', undefined));
});

t.test('serials: RFC 1982 arithmetic, derived from a feed position, never backwards', async (t) => {
  const newer: Array<[number, number, boolean]> = [
    [1, 0, true], [0, 1, false], [5, 5, false],
    [0, 2 ** 32 - 1, true], [2 ** 32 - 1, 0, false], // wraps
    [2 ** 31, 0, false], [0, 2 ** 31, false], // exactly half-way: undefined, so neither
  ];
  for (const [a, b, expected] of newer) t.equal(serialNewer(a, b), expected, `${a} newer than ${b}`);
  t.equal(serialFor('4294967396'), 100, 'the low 32 bits of the transaction id');
  t.equal(serialFor('1000', 900), 1000);
  t.equal(serialFor('1000', 1000), 1001, 'no newer position: one more than before');
  t.equal(serialFor('5', 2 ** 32 - 1), 5, 'across the wrap');
  t.equal(serialFor('1', 2 ** 32 - 1), 1);
  t.equal(serialFor('0', 2 ** 32 - 1), 0);
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    (xid, previous) => serialNewer(serialFor(xid.toString(), previous), previous)), { numRuns: 200 });
  t.pass('the next serial is always newer than the previous one');
});

t.test('the zone file: origin, apex, one CNAME per trigger', async (t) => {
  const text = rpzZoneText({ origin: 'rpz.example.net', serial: 42, nameServer: 'ns.example.net', hostmaster: 'hostmaster.example.net', ttl: 60, refresh: 300, retry: 60, expire: 1209600 },
    '*.', [{ type: 'domain', value: 'a.tv' }, { type: 'ipv4', value: '45.9.8.7' }]);
  t.equal(text, [
    '$ORIGIN rpz.example.net.', '$TTL 60',
    '@ IN SOA ns.example.net. hostmaster.example.net. ( 42 300 60 1209600 60 )', '@ IN NS ns.example.net.',
    'a.tv CNAME *.', '*.a.tv CNAME *.', '32.7.8.9.45.rpz-ip CNAME *.', '',
  ].join('\n'));
});

t.test('DNS names for configuration and origins', async (t) => {
  for (const ok of ['rpz.example.net', 'localhost', 'xn--bcher-kva.example', 'a-b.c_d.e']) t.ok(isDnsName(ok), ok);
  for (const bad of ['', 'a..b', '-a.b', 'a-.b', 'UPPER.case', 'a b', `${'x'.repeat(64)}.net`, `${'a.'.repeat(127)}net`]) t.notOk(isDnsName(bad), JSON.stringify(bad));
});
