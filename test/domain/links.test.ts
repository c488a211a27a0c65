import t from 'tap';
import { linksOf, type Linkable } from '../../src/domain/links.js';

const of = (indicator: Partial<Linkable> & Pick<Linkable, 'type' | 'value'>) =>
  linksOf({ platform: '', relations: [], ...indicator }).map((l) => `${l.via} ${l.type}${l.platform ? `/${l.platform}` : ''} ${l.value}`);

t.test('what each type links to by itself', async (t) => {
  const cases: Array<[Partial<Linkable> & Pick<Linkable, 'type' | 'value'>, string[]]> = [
    [{ type: 'domain', value: 'example.tv' }, []],
    [{ type: 'domain', value: 'live.cdn.example.co.uk' }, ['registrable_domain domain example.co.uk']],
    [{ type: 'domain', value: 'free-football.blogspot.com' }, [], ],
    [{ type: 'url', value: 'https://watch.example.tv/live/1' }, ['domain domain watch.example.tv', 'registrable_domain domain example.tv']],
    [{ type: 'url', value: 'https://example.tv/' }, ['domain domain example.tv']],
    [{ type: 'url', value: 'http://185.10.20.30:8080/get.php' }, ['host ipv4 185.10.20.30']],
    [{ type: 'url', value: 'http://[2a01:4f8::1]/x' }, ['host ipv6 2a01:4f8::1']],
    [{ type: 'email', value: 'billing@panel.example.tv' }, ['domain domain panel.example.tv', 'registrable_domain domain example.tv']],
    [{ type: 'ipv4', value: '185.10.20.30' }, ['self ipv4 185.10.20.30']],
    [{ type: 'cidr', value: '185.10.20.0/24' }, ['self cidr 185.10.20.0/24']],
    [{ type: 'ipv6', value: '2a01:4f8::1' }, ['self ipv6 2a01:4f8::1']],
    [{ type: 'iban', value: 'DE89370400440532013000' }, []],
    [{ type: 'tracking_id', platform: 'google_analytics', value: 'UA-1-1' }, []],
  ];
  for (const [indicator, expected] of cases) t.same(of(indicator), expected, `${indicator.type} ${indicator.value}`);
});

t.test('relations: each target once, never the indicator itself', async (t) => {
  const wallet = { type: 'crypto_address' as const, platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' };
  t.same(of({
    type: 'domain', value: 'www.mirror.tv',
    relations: [
      { type: 'hosted_on', target: { type: 'ipv4', value: '185.10.20.30' } },
      { type: 'resolves_to', target: { type: 'ipv4', value: '185.10.20.30' } },
      { type: 'uses_payment', target: wallet },
      { type: 'mirror_of', target: { type: 'domain', value: 'www.mirror.tv' } },
      { type: 'related_to', target: { type: 'domain', value: 'mirror.tv' } },
    ],
  }), [
    'registrable_domain domain mirror.tv',
    'hosted_on ipv4 185.10.20.30',
    'uses_payment crypto_address/btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  ], 'the first reason wins; a relation to itself is no link');
  t.same(of({ type: 'ipv4', value: '185.10.20.30', relations: [{ type: 'related_to', target: { type: 'ipv4', value: '185.10.20.30' } }] }),
    ['self ipv4 185.10.20.30'], 'an address carries its own value once');
});
