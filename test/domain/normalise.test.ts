import assert from 'node:assert/strict';
import t from 'tap';
import fc from 'fast-check';
import { composeIBAN } from 'ibantools';
import {
  normalise, normaliseDomain, registrableDomain, urlHost, type NormaliseResult,
} from '../../src/domain/normalise.js';
import { INDICATOR_TYPES, TYPES_WITH_PLATFORM, type IndicatorType } from '../../src/domain/types.js';

// ---------------------------------------------------------------------------------------------
// Tables: for every type, inputs with their exact normal form, and inputs with the reason they fail.

interface Accepted {
  value: string;
  platform?: string;
  /** The normal form. */
  want: string;
  /** When normalisation changes the type or the platform. */
  wantType?: IndicatorType;
  wantPlatform?: string;
}
interface Rejected {
  value: string;
  platform?: string | null;
  reason: RegExp;
}

const ETH_CHECKSUMMED = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'; // EIP-55 test vector

const ACCEPTED: Record<IndicatorType, Accepted[]> = {
  domain: [
    { value: 'Example.COM', want: 'example.com' },
    { value: '  www.example.co.uk.  ', want: 'www.example.co.uk' },
    { value: 'Bücher.de', want: 'xn--bcher-kva.de' },
    { value: 'xn--bcher-kva.DE', want: 'xn--bcher-kva.de' },
    { value: 'ＥＸＡＭＰＬＥ．ｃｏｍ', want: 'example.com' }, // full-width letters and dot
    { value: 'пример.рф', want: 'xn--e1afmkfd.xn--p1ai' },
    { value: 'fuß.de', want: 'xn--fu-hia.de' }, // non-transitional IDNA, as browsers
    { value: 'bücher.de。', want: 'xn--bcher-kva.de' }, // ideographic full stop as the trailing dot
    { value: 'live-stream.blogspot.com', want: 'live-stream.blogspot.com' }, // private suffix: still a host under .com
    { value: 'a.b.bar.kawasaki.jp', want: 'a.b.bar.kawasaki.jp' }, // wildcard ICANN rule
    { value: '1337x.to', want: '1337x.to' },
    { value: 'hiddenservicexyz.onion', want: 'hiddenservicexyz.onion' },
  ],
  url: [
    { value: 'HTTP://Example.COM:80/a/../b?q=1#top', want: 'http://example.com/b?q=1' },
    { value: 'https://user:secret@example.com/watch', want: 'https://example.com/watch' },
    { value: 'https://example.com:443', want: 'https://example.com/' },
    { value: 'https://example.com:8443/live?id=7', want: 'https://example.com:8443/live?id=7' },
    { value: 'https://例え.jp/パス', want: 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9' },
    { value: 'https://stream.example.org./x', want: 'https://stream.example.org/x' },
    { value: 'http://8.8.8.8:8080/iptv.m3u', want: 'http://8.8.8.8:8080/iptv.m3u' },
    { value: 'http://[2606:4700:4700:0:0:0:0:1111]/', want: 'http://[2606:4700:4700::1111]/' },
    { value: 'http://[::ffff:8.8.8.8]/x', want: 'http://8.8.8.8/x' },
  ],
  ipv4: [
    { value: '8.8.8.8', want: '8.8.8.8' },
    { value: ' 1.1.1.1 ', want: '1.1.1.1' },
    { value: '104.16.0.1', want: '104.16.0.1' },
    { value: '185.199.108.153', want: '185.199.108.153' },
    { value: '::ffff:8.8.4.4', want: '8.8.4.4' },
    { value: '192.175.48.1', want: '192.175.48.1' }, // AS112 anycast: globally routed
  ],
  ipv6: [
    { value: '2606:4700:4700:0000:0000:0000:0000:1111', want: '2606:4700:4700::1111' },
    { value: '2001:4860:4860::8888', want: '2001:4860:4860::8888' },
    { value: '2A00:1450:4001:82B::200E', want: '2a00:1450:4001:82b::200e' },
    { value: '2001:4860:0:0:1:0:0:1', want: '2001:4860::1:0:0:1' }, // RFC 5952: first longest run
    { value: '[2a03:2880:f12f:83:face:b00c::25de]', want: '2a03:2880:f12f:83:face:b00c:0:25de' }, // a lone 0 is not compressed
    { value: '::ffff:8.8.8.8', want: '8.8.8.8', wantType: 'ipv4' },
    { value: '::ffff:0808:0404', want: '8.8.4.4', wantType: 'ipv4' },
    { value: '2002:c000:204::1', want: '2002:c000:204::1' }, // 6to4 is kept
  ],
  cidr: [
    { value: '8.8.8.8/24', want: '8.8.8.0/24' },
    { value: '104.16.7.1/16', want: '104.16.0.0/16' },
    { value: '185.199.108.153/32', want: '185.199.108.153/32' },
    { value: '2606:4700:0:0::/32', want: '2606:4700::/32' },
    { value: '2001:4860:4860::8888/48', want: '2001:4860:4860::/48' },
    { value: '2a00:1450::1/128', want: '2a00:1450::1/128' },
    { value: '::ffff:8.8.8.0/120', want: '8.8.8.0/24' },
    { value: '192.0.0.0/16', want: '192.0.0.0/16' }, // contains 192.0.0.0/24 and 192.0.2.0/24 but is not inside them
  ],
  asn: [
    { value: 'AS13335', want: 'AS13335' },
    { value: 'as13335', want: 'AS13335' },
    { value: '13335', want: 'AS13335' },
    { value: 'AS015169', want: 'AS15169' },
    { value: '0004199999999', want: 'AS4199999999' },
    { value: '4199999999', want: 'AS4199999999' },
    { value: 'As1', want: 'AS1' },
  ],
  email: [
    { value: 'John.Doe@Example.COM', want: 'John.Doe@example.com' },
    { value: ' support@bücher.de ', want: 'support@xn--bcher-kva.de' },
    { value: 'pirate+iptv@gmail.com', want: 'pirate+iptv@gmail.com' },
    { value: 'admin@example.co.uk.', want: 'admin@example.co.uk' },
    { value: 'ünïcödé@example.org', want: 'ünïcödé@example.org' },
  ],
  iban: [
    { value: 'GB29 NWBK 6016 1331 9268 19', want: 'GB29NWBK60161331926819' },
    { value: 'de89370400440532013000', want: 'DE89370400440532013000' },
    { value: 'NL91-ABNA-0417-1643-00', want: 'NL91ABNA0417164300' },
    { value: 'FR14 2004 1010 0505 0001 3M02 606', want: 'FR1420041010050500013M02606' },
    { value: 'CH93\u00a00076\u00a02011\u00a06238\u00a05295\u00a07', want: 'CH9300762011623852957' }, // no-break spaces
  ],
  crypto_address: [
    { value: ETH_CHECKSUMMED, platform: 'eth', want: ETH_CHECKSUMMED.toLowerCase() },
    { value: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', platform: 'ETH', want: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', wantPlatform: 'eth' },
    { value: '0x52908400098527886E0F7030069857D2E4169EE7', platform: 'eth', want: '0x52908400098527886e0f7030069857d2e4169ee7' },
    { value: ETH_CHECKSUMMED, platform: 'base', want: ETH_CHECKSUMMED.toLowerCase() }, // unknown EVM chain: EIP-55 still checked
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', platform: 'btc', want: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' },
    { value: 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', platform: 'bitcoin', want: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', wantPlatform: 'btc' },
    { value: 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', platform: 'btc', want: 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297' },
    { value: 'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9', platform: 'ltc', want: 'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9' },
    { value: 'ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea', platform: 'ltc', want: 'ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea' },
    { value: 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a', platform: 'bch', want: 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a' },
    { value: 'QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A', platform: 'bch', want: 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a' },
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', platform: 'bch', want: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' }, // legacy format
    { value: 'DPpJVPpvPNP6i6tMj4rTycAGh8wReTqaSU', platform: 'doge', want: 'DPpJVPpvPNP6i6tMj4rTycAGh8wReTqaSU' },
    { value: 'TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r', platform: 'tron', want: 'TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r', wantPlatform: 'trx' },
    {
      value: '47zQ5LAivg6hNCgijXSEFVLX7mke1bgM6YGLFaANDoJbgXDymcAAZvvMNt2PmMpqEe5qRy2zyfMYXdwpmdyitiFh84xnPG2',
      platform: 'xmr',
      want: '47zQ5LAivg6hNCgijXSEFVLX7mke1bgM6YGLFaANDoJbgXDymcAAZvvMNt2PmMpqEe5qRy2zyfMYXdwpmdyitiFh84xnPG2',
    },
    { value: '833XorXTTx5iya5B3Tr6iqEs9GbRuvVfwyLCP2vpdzhq', platform: 'sol', want: '833XorXTTx5iya5B3Tr6iqEs9GbRuvVfwyLCP2vpdzhq' },
    { value: '11111111111111111111111111111111', platform: 'solana', want: '11111111111111111111111111111111', wantPlatform: 'sol' },
    { value: 'rG1QQv2nh2gr7RCZ1P8YYcBUKCCN633jCn', platform: 'xrp', want: 'rG1QQv2nh2gr7RCZ1P8YYcBUKCCN633jCn' },
    { value: 'EQDtFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p4q2', platform: 'ton', want: 'EQDtFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p4q2' },
  ],
  payment_account: [
    { value: ' John.Doe@PayPal.COM ', platform: 'paypal', want: 'john.doe@paypal.com' },
    { value: 'acct_1Mx9ZkLkdIwHu7ix', platform: 'stripe', want: 'acct_1Mx9ZkLkdIwHu7ix' },
    { value: '2088102122524333', platform: 'Alipay', want: '2088102122524333', wantPlatform: 'alipay' },
    { value: 'paypal.me/PirateTV', platform: 'paypal', want: 'paypal.me/PirateTV' },
    { value: 'Merchant 4821', platform: 'local_bank', want: 'Merchant 4821' },
  ],
  social_account: [
    { value: '@Pirate_Streams', platform: 'telegram', want: 'pirate_streams' },
    { value: 'https://t.me/Pirate_Streams', platform: 'telegram', want: 'pirate_streams' },
    { value: 'telegram.me/s/FreeFootball', platform: 'telegram', want: 'freefootball' },
    { value: 'https://twitter.com/FreeSportsHD/status/1', platform: 'x', want: 'freesportshd' },
    { value: '@FreeSportsHD', platform: 'twitter', want: 'freesportshd', wantPlatform: 'x' },
    { value: 'https://www.instagram.com/free.movies_/', platform: 'instagram', want: 'free.movies_' },
    { value: 'www.tiktok.com/@Foo.Bar?lang=en', platform: 'tiktok', want: 'foo.bar' },
    { value: 'https://m.youtube.com/@LiveMatches/videos', platform: 'youtube', want: 'livematches' },
    { value: 'https://www.facebook.com/FreeMatchesLive', platform: 'facebook', want: 'freematcheslive' },
    { value: 'https://www.facebook.com/profile.php?id=100064123456789', platform: 'facebook', want: '100064123456789' },
    { value: 'https://vk.com/Club_Movies', platform: 'vk', want: 'club_movies' },
    { value: 'Pirate.King', platform: 'discord', want: 'pirate.king' },
    { value: '+44 7700 900123', platform: 'whatsapp', want: '+447700900123' },
    { value: 'https://wa.me/447700900123', platform: 'whatsapp', want: '+447700900123' },
    { value: '@CaseKept', platform: 'mastodon', want: 'CaseKept' }, // unknown platform: case kept
  ],
  app: [
    { value: 'com.example.freetv', platform: 'google_play', want: 'com.example.freetv' },
    { value: ' com.Example.IPTV ', platform: 'apk', want: 'com.Example.IPTV' },
    { value: 'id1234567890', platform: 'apple_app_store', want: 'id1234567890' },
    { value: 'B08XYZ1234', platform: 'amazon_appstore', want: 'B08XYZ1234' },
    { value: 'https://example.com/freetv.apk', platform: 'apk', want: 'https://example.com/freetv.apk' },
  ],
  tracking_id: [
    { value: 'g-abc1234xyz', platform: 'google_analytics', want: 'G-ABC1234XYZ' },
    { value: 'UA-123456-1', platform: 'google_analytics', want: 'UA-123456-1' },
    { value: 'gtm-5xk2p9q', platform: 'google_tag_manager', want: 'GTM-5XK2P9Q' },
    { value: 'pub-1234567890123456', platform: 'adsense', want: 'PUB-1234567890123456' },
    { value: 'ca-pub-1234567890123456', platform: 'adsense', want: 'PUB-1234567890123456' },
    { value: '123456789012345', platform: 'facebook_pixel', want: '123456789012345' },
    { value: 'yandex_12345-ab', platform: 'yandex_metrica', want: 'YANDEX_12345-AB' },
  ],
};

const REJECTED: Record<IndicatorType, Rejected[]> = {
  domain: [
    { value: 'co.uk', reason: /public suffix \(co\.uk\) with no name under it/ },
    { value: 'com', reason: /public suffix/ },
    { value: 'pirate.invalidtld', reason: /does not end in a public suffix/ },
    { value: 'nas.local', reason: /does not end in a public suffix/ },
    { value: 'localhost', reason: /does not end in a public suffix/ },
    { value: '8.8.8.8', reason: /is an IP address/ },
    { value: '0x7f.1', reason: /is an IP address/ },
    { value: '[2606:4700::1111]', reason: /is an IP address/ },
    { value: '2606:4700::1111', reason: /is an IP address/ },
    { value: 'https://example.com/', reason: /not a URL/ },
    { value: 'example.com:8080', reason: /port/ },
    { value: 'under_score.example.com', reason: /letters, digits and hyphens/ },
    { value: '-lead.example.com', reason: /may not start or end with a hyphen/ },
    { value: 'a..example.com', reason: /empty label/ },
    { value: `${'a'.repeat(64)}.com`, reason: /longer than 63/ },
    { value: `${'abcdefghi.'.repeat(26)}com`, reason: /longer than 253/ },
    { value: 'xn--zz.com', reason: /not a valid internationalised domain name/ },
    { value: 'bü%63her.de', reason: /not allowed in a host name/ },
    { value: '.', reason: /empty/ },
    { value: 'example.com', platform: 'x', reason: /platform must be omitted for type domain/ },
  ],
  url: [
    { value: 'example.com/watch', reason: /must be absolute and start with http/ },
    { value: 'ftp://example.com/file', reason: /must use http or https/ },
    { value: 'javascript:alert(1)', reason: /must use http or https/ },
    { value: 'http://exa mple.com/', reason: /not a valid URL/ },
    { value: 'https://localhost/', reason: /url host does not end in a public suffix/ },
    { value: 'https://foo_bar.example.com/', reason: /url host labels may only contain/ },
    { value: 'http://10.0.0.1/admin', reason: /url host is in the private range/ },
    { value: 'http://0x7f.1/', reason: /dotted decimal/ },
    { value: 'http://010.8.8.8/', reason: /dotted decimal/ },
    { value: 'http://2130706433', reason: /dotted decimal/ },
    { value: 'http://user@0x7f.1:80?x', reason: /dotted decimal/ },
    { value: 'http://[::1]/', reason: /url host is in the loopback range/ },
    { value: 'http://[::ffff:192.168.0.1]/', reason: /url host is in the private range/ },
    { value: 'http://[fe80::1]/', reason: /link-local/ },
    { value: 'file:///etc/passwd', reason: /must use http or https/ },
    { value: `https://example.com/${'€'.repeat(250)}`, reason: /longer than 2048 characters once normalised/ }, // 9× once percent-encoded
  ],
  ipv4: [
    { value: '010.1.1.1', reason: /leading zero \(ambiguous octal\)/ },
    { value: '256.1.1.1', reason: /larger than 255/ },
    { value: '8.8.8', reason: /not a dotted-decimal IPv4 address/ },
    { value: '0x08.8.8.8', reason: /not a dotted-decimal/ },
    { value: '10.0.0.1', reason: /private/ },
    { value: '172.16.5.4', reason: /private/ },
    { value: '192.168.1.1', reason: /private/ },
    { value: '127.0.0.1', reason: /loopback/ },
    { value: '169.254.1.1', reason: /link-local/ },
    { value: '224.0.0.1', reason: /multicast/ },
    { value: '100.64.0.1', reason: /carrier-grade NAT/ },
    { value: '0.1.2.3', reason: /unspecified/ },
    { value: '255.255.255.255', reason: /broadcast/ },
    { value: '240.0.0.1', reason: /reserved/ },
    { value: '198.18.0.1', reason: /reserved/ },
    { value: '192.0.2.1', reason: /documentation/ },
    { value: '198.51.100.7', reason: /documentation/ },
    { value: '203.0.113.9', reason: /documentation/ },
    { value: '2606:4700::1111', reason: /is IPv6; use type ipv6/ },
    { value: '::ffff:10.0.0.1', reason: /private/ },
    { value: 'not-an-ip:', reason: /not a valid IPv4 address/ },
  ],
  ipv6: [
    { value: '8.8.8.8', reason: /is IPv4; use type ipv4/ },
    { value: 'gggg::1', reason: /not a valid IPv6 address/ },
    { value: '1.2.3', reason: /not a valid IPv6 address/ },
    { value: '2001:4860::1::2', reason: /not a valid IPv6 address/ },
    { value: 'fe80::1%eth0', reason: /not a valid IPv6 address/ },
    { value: '::ffff:010.1.1.1', reason: /not a valid IPv6 address/ },
    { value: '::1', reason: /loopback/ },
    { value: '::', reason: /unspecified/ },
    { value: 'fe80::1', reason: /link-local/ },
    { value: 'fd12:3456:789a::1', reason: /unique-local/ },
    { value: 'ff02::1', reason: /multicast/ },
    { value: '2001:db8::1', reason: /documentation/ },
    { value: '3fff::1', reason: /documentation/ },
    { value: '64:ff9b::808:808', reason: /NAT64/ },
    { value: '2001:2::1', reason: /benchmarking/ },
    { value: '4000::1', reason: /reserved/ }, // outside global unicast 2000::/3
    { value: '::ffff:127.0.0.1', reason: /loopback/ },
  ],
  cidr: [
    { value: '8.8.8.0', reason: /address\/prefix/ },
    { value: '8.8.0.0/15', reason: /too broad: IPv4 networks must be \/16/ },
    { value: '2606:4700::/31', reason: /too broad: IPv6 networks must be \/32/ },
    { value: '8.8.8.0/33', reason: /larger than 32/ },
    { value: '2606:4700::/129', reason: /larger than 128/ },
    { value: '8.8.8.0/x', reason: /prefix length must be a decimal number/ },
    { value: '8.8.8.0/024', reason: /prefix length must be a decimal number/ },
    { value: '08.8.8.0/24', reason: /leading zero/ },
    { value: '2606:zz::/32', reason: /not a valid IPv6 address/ },
    { value: '10.1.0.0/16', reason: /cidr network is in the private range/ },
    { value: '192.168.1.0/24', reason: /private/ },
    { value: '255.255.0.0/16', reason: /reserved/ }, // 240/4, ending in the broadcast address
    { value: '203.0.113.0/24', reason: /documentation/ },
    { value: '2001:db8::/32', reason: /documentation/ },
    { value: 'fc00::/32', reason: /unique-local/ },
    { value: '::/32', reason: /unspecified/ },
    { value: '2001:2::/32', reason: /cidr network is in the benchmarking range/ }, // inside 2001::/23
  ],
  asn: [
    { value: 'AS0', reason: /asn 0 is reserved/ },
    { value: '23456', reason: /AS_TRANS/ },
    { value: '64496', reason: /documentation/ },
    { value: '65551', reason: /documentation/ },
    { value: '64512', reason: /private-use/ },
    { value: '65534', reason: /private-use/ },
    { value: '65535', reason: /reserved/ },
    { value: '100000', reason: /reserved/ },
    { value: '4200000000', reason: /private-use/ },
    { value: '4294967295', reason: /reserved/ },
    { value: '4294967296', reason: /larger than 4294967295/ },
    { value: 'AS 13335', reason: /asplain form/ },
    { value: 'AS1.10', reason: /asplain form/ },
    { value: 'ASN13335', reason: /asplain form/ },
    { value: '-1', reason: /asplain form/ },
  ],
  email: [
    { value: 'no-at-sign.example.com', reason: /exactly one @/ },
    { value: 'a@b@example.com', reason: /exactly one @/ },
    { value: '@example.com', reason: /local part .* is empty/ },
    { value: `${'x'.repeat(65)}@example.com`, reason: /longer than 64/ },
    { value: 'John Doe <john@example.com>', reason: /spaces or characters not allowed/ },
    { value: 'user@localhost', reason: /e-mail domain does not end in a public suffix/ },
    { value: 'user@[8.8.8.8]', reason: /e-mail domain is an IP address/ },
    { value: 'user@', reason: /e-mail domain is empty/ },
  ],
  iban: [
    { value: 'GB29 NWBK 6016 1331 9268 18', reason: /check digits are wrong/ },
    { value: 'XX29NWBK60161331926819', reason: /known country code/ },
    { value: 'GB29NWBK6016133192681', reason: /wrong length/ },
    { value: 'GBXXNWBK60161331926819', reason: /check digits .* must be digits/ },
    { value: 'DE89 3704 0044 0532 0130 0A', reason: /country format/ },
    { value: 'not an iban', reason: /iban/ },
    { value: '- -', reason: /iban is empty/ },
  ],
  crypto_address: [
    { value: '0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed', platform: 'eth', reason: /EIP-55/ },
    { value: '0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed', platform: 'polygon', reason: /EIP-55/ },
    { value: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea', platform: 'eth', reason: /not a valid eth mainnet address/ },
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', platform: 'btc', reason: /not a valid btc mainnet address/ },
    { value: 'mzBc4XEFSdzCDcTxAgf6EZXgsZWpztRhef', platform: 'btc', reason: /mainnet/ }, // testnet
    { value: 'bc1qAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', platform: 'btc', reason: /not a valid btc/ }, // mixed-case bech32
    { value: 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b', platform: 'bch', reason: /not a valid bch/ }, // bad checksum
    { value: 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6A', platform: 'bch', reason: /must not mix upper and lower case/ },
    { value: 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdxba', platform: 'bch', reason: /not a valid bch/ }, // 'b' is not in the charset
    { value: 'TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3s', platform: 'trx', reason: /not a valid trx/ },
    { value: '47zQ5LAivg6hNCgijXSEFVLX7mke1bgM6YGLFaANDoJbgXDymcAAZvvMNt2PmMpqEe5qRy2zyfMYXdwpmdyitiFh84xnPG3', platform: 'xmr', reason: /not a valid xmr/ },
    { value: `${'z'.repeat(44)}`, platform: 'sol', reason: /not a valid sol/ }, // decodes to 33 bytes
    { value: '0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl', platform: 'sol', reason: /not a valid sol/ },
    { value: 'a b', platform: 'newchain', reason: /newchain address must be/ },
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', reason: /platform is required for type crypto_address \(the chain/ },
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', platform: '  ', reason: /platform is required/ },
    { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', platform: 'bit coin', reason: /platform must be a lower-case id/ },
  ],
  payment_account: [
    { value: '', platform: 'paypal', reason: /value is empty/ },
    { value: '   ', platform: 'paypal', reason: /value is empty/ },
    { value: 'john@example.com', reason: /platform is required for type payment_account/ },
    { value: 'john@example.com', platform: 'pay pal', reason: /platform must be a lower-case id/ },
    { value: 'john@example.com', platform: `p${'a'.repeat(64)}`, reason: /at most 64/ },
    { value: 'a\u0000b', platform: 'paypal', reason: /control characters/ },
    { value: 'x'.repeat(2049), platform: 'paypal', reason: /longer than 2048/ },
  ],
  social_account: [
    { value: 'https://t.me/+AbCdEfGh', platform: 'telegram', reason: /invite links are not accounts/ },
    { value: 'https://t.me/joinchat/AbCdEfGh', platform: 'telegram', reason: /invite links/ },
    { value: 'https://x.com/i/flow/login', platform: 'x', reason: /not a profile URL for x/ },
    { value: 'https://www.instagram.com/p/Cx12/', platform: 'instagram', reason: /not a profile URL for instagram/ },
    { value: 'https://www.youtube.com/watch?v=abc', platform: 'youtube', reason: /youtube\.com\/@handle/ },
    { value: 'https://instagram.com/someone', platform: 'telegram', reason: /belongs to instagram, not telegram/ },
    { value: 'https://example.com/someone', platform: 'telegram', reason: /not a recognised telegram profile URL/ },
    { value: 'https://discord.com/users/123', platform: 'discord', reason: /discord profile URLs are not understood/ },
    { value: 'https://mastodon.social/@someone', platform: 'mastodon', reason: /only understood for known platforms/ },
    { value: 'https://t.me:99999/x', platform: 'telegram', reason: /not a valid URL/ },
    { value: 'has space', platform: 'telegram', reason: /telegram handle may only contain/ },
    { value: 'has space', platform: 'mastodon', reason: /no whitespace/ },
    { value: '@', platform: 'mastodon', reason: /non-empty/ },
    { value: '0044', platform: 'whatsapp', reason: /phone number in international form/ },
    { value: 'https://t.me/%ZZ', platform: 'telegram', reason: /handle may only contain/ },
    { value: 'https://t.me/', platform: 'telegram', reason: /not a profile URL for telegram/ },
    { value: 'https://t.me/s/', platform: 'telegram', reason: /not a profile URL for telegram/ },
    { value: 'https://facebook.com/profile.php', platform: 'facebook', reason: /not a profile URL for facebook/ },
  ],
  app: [
    { value: 'com example', platform: 'google_play', reason: /must not contain whitespace/ },
    { value: 'com.example\tapp', platform: 'google_play', reason: /control characters/ },
    { value: 'com.example.app', reason: /platform is required for type app \(the store/ },
    { value: 'com.example.app', platform: null, reason: /platform is required/ },
    { value: 'com.example.app', platform: 'Google Play', reason: /platform must be a lower-case id/ },
    { value: 'com.example\u202eppa', platform: 'apk', reason: /control characters/ }, // bidi override
  ],
  tracking_id: [
    { value: 'GTM-ABC123', platform: 'google_analytics', reason: /looks like a google_tag_manager id/ },
    { value: 'G-ABC1234', platform: 'google_tag_manager', reason: /looks like a google_analytics id/ },
    { value: 'UA-123', platform: 'google_analytics', reason: /google_analytics id must look like G-/ },
    { value: 'pub-123', platform: 'adsense', reason: /adsense id must look like pub-1234567890123456/ },
    { value: 'ca-pub-12345678901234567', platform: 'adsense', reason: /adsense/ },
    { value: 'abc.def', platform: 'facebook_pixel', reason: /only contain letters, digits, "_" and "-"/ },
    { value: 'G-ABC1234', reason: /platform is required for type tracking_id/ },
  ],
};

for (const type of INDICATOR_TYPES) {
  t.test(`${type}: accepted inputs and their normal form`, async (t) => {
    const cases = ACCEPTED[type];
    t.ok(cases.length >= 5, 'at least five accepted cases');
    for (const c of cases) {
      const expectedPlatform = TYPES_WITH_PLATFORM.has(type) ? (c.wantPlatform ?? c.platform ?? null) : null;
      t.same(
        normalise(type, c.value, c.platform),
        { ok: true, type: c.wantType ?? type, value: c.want, platform: expectedPlatform },
        `${JSON.stringify(c.value)}${c.platform ? ` on ${c.platform}` : ''} → ${c.want}`,
      );
    }
  });

  t.test(`${type}: rejected inputs and why`, async (t) => {
    const cases = REJECTED[type];
    t.ok(cases.length >= 5, 'at least five rejected cases');
    for (const c of cases) {
      const result = normalise(type, c.value, c.platform);
      const label = `${JSON.stringify(c.value.length > 80 ? `${c.value.slice(0, 77)}...` : c.value)} is rejected`;
      if (result.ok) {
        t.fail(label, { found: result });
      } else {
        t.match(result.reason, c.reason, label);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Rules shared by every type

t.test('values are trimmed; empty, oversized and control-character values are rejected for every type', async (t) => {
  for (const type of INDICATOR_TYPES) {
    const platform = TYPES_WITH_PLATFORM.has(type) ? 'some_platform' : undefined;
    t.match(normalise(type, ' \t ', platform), { ok: false, reason: /value is empty/ }, `${type}: blank`);
    t.match(normalise(type, 'a'.repeat(2049), platform), { ok: false, reason: /longer than 2048/ }, `${type}: too long`);
    t.match(normalise(type, 'a\u0007b', platform), { ok: false, reason: /control characters/ }, `${type}: BEL`);
    t.match(normalise(type, 'a\u0085b', platform), { ok: false, reason: /control characters/ }, `${type}: C1 control`);
  }
});

t.test('platform is required exactly for the types that have one', async (t) => {
  for (const type of INDICATOR_TYPES) {
    if (TYPES_WITH_PLATFORM.has(type)) {
      t.match(normalise(type, 'x', undefined), { ok: false, reason: `platform is required for type ${type}` });
      t.match(normalise(type, 'x', null), { ok: false, reason: `platform is required for type ${type}` });
      t.notMatch(normalise(type, 'x', null), { reason: /undefined/ }, `${type} has a hint for what its platform is`);
    } else {
      t.match(normalise(type, 'x', 'anything'), { ok: false, reason: `platform must be omitted for type ${type}` });
      t.match(normalise(type, 'x', ''), { ok: false, reason: `platform must be omitted for type ${type}` });
    }
  }
});

t.test('an unknown type or a non-string value is refused rather than thrown', async (t) => {
  t.match(normalise('hash' as IndicatorType, 'abc'), { ok: false, reason: /unknown indicator type "hash"/ });
  t.match(normalise('domain', 42 as unknown as string), { ok: false, reason: /must be a string/ });
});

// ---------------------------------------------------------------------------------------------
// Helper functions

t.test('normaliseDomain', async (t) => {
  t.equal(normaliseDomain(' WWW.Bücher.DE. '), 'www.xn--bcher-kva.de');
  t.equal(normaliseDomain('co.uk'), null);
  t.equal(normaliseDomain('8.8.8.8'), null);
  t.equal(normaliseDomain('bad_label.com'), null);
});

t.test('registrableDomain counts private suffixes, so unrelated tenants are not linked', async (t) => {
  t.equal(registrableDomain('www.live.example.co.uk'), 'example.co.uk');
  t.equal(registrableDomain('Stream.Bücher.de'), 'xn--bcher-kva.de');
  t.equal(registrableDomain('free-football.blogspot.com'), 'free-football.blogspot.com');
  t.equal(registrableDomain('someone.github.io'), 'someone.github.io');
  t.equal(registrableDomain('github.io'), 'github.io', 'a private suffix itself falls back to its ICANN eTLD+1');
  t.equal(registrableDomain('8.8.8.8'), null);
  t.equal(registrableDomain('nas.local'), null);
});

t.test('urlHost returns the host of a normalised url', async (t) => {
  t.equal(urlHost('https://stream.example.com:8443/x?y=1'), 'stream.example.com');
  t.equal(urlHost('http://8.8.8.8/'), '8.8.8.8');
  t.equal(urlHost('http://[2606:4700::1111]/'), '2606:4700::1111', 'IPv6 without brackets, as stored for type ipv6');
  t.equal(urlHost('ftp://example.com/'), null);
  t.equal(urlHost('not a url'), null);
  t.equal(urlHost('mailto:someone@example.com'), null);
});

// ---------------------------------------------------------------------------------------------
// Properties: a normal form normalises to itself (same type, value and platform).

const RUNS = { numRuns: 300 };

/** Checks idempotence for an input if it is accepted; says whether it was. */
function idempotent(type: IndicatorType, value: string, platform?: string): boolean {
  const first = normalise(type, value, platform);
  if (!first.ok) return false;
  const again: NormaliseResult = normalise(first.type, first.value, first.platform);
  assert.deepEqual(again, first, `normalising ${JSON.stringify(first.value)} again changed it`);
  return true;
}

/**
 * Runs the idempotence property over generated inputs and returns the share that was valid, so
 * a test can insist the property was not vacuous.
 */
function idempotenceOver(arb: fc.Arbitrary<[IndicatorType, string, string?]>): number {
  let accepted = 0;
  fc.assert(fc.property(arb, ([type, value, platform]) => {
    if (idempotent(type, value, platform)) accepted++;
  }), RUNS);
  return accepted / RUNS.numRuns;
}

/** `t.ok` that the generated inputs were mostly valid (min 0 for generators of arbitrary text). */
function expectValidShare(t: { ok(value: unknown, message: string): boolean }, arb: fc.Arbitrary<[IndicatorType, string, string?]>, min = 0.5): void {
  const share = idempotenceOver(arb);
  t.ok(share >= min, `${Math.round(share * 100)}% of generated inputs were valid (want ≥ ${min * 100}%)`);
}

const randomCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));

const asciiLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/);
const unicodeLabel = fc.string({ unit: fc.constantFrom(...'abcxyzéüößñçøåπбжщ中文日本한국'), minLength: 1, maxLength: 8 });
const suffix = fc.constantFrom('com', 'net', 'org', 'co.uk', 'de', 'jp', 'com.br', 'io', 'рф', 'xn--p1ai', 'tv', 'to');
const domainInput = fc.tuple(fc.array(fc.oneof(asciiLabel, unicodeLabel), { minLength: 1, maxLength: 3 }), suffix, fc.boolean())
  .chain(([labels, tld, dot]) => randomCase(`${labels.join('.')}.${tld}${dot ? '.' : ''}`));

const hex4 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
/** Global-unicast IPv6 (2000::/3), written uncompressed in random case: compression is the normaliser's job. */
const globalIpv6 = fc.tuple(fc.integer({ min: 0x2000, max: 0x3fff }), fc.array(hex4, { minLength: 7, maxLength: 7 }))
  .chain(([first, rest]) => randomCase([first.toString(16), ...rest].join(':')));

t.test('idempotence: domains', async (t) => {
  expectValidShare(t, domainInput.map((d): [IndicatorType, string] => ['domain', d]));
  expectValidShare(t, fc.domain().map((d): [IndicatorType, string] => ['domain', d]), 0);
});

t.test('idempotence: urls', async (t) => {
  const url = fc.tuple(
    fc.constantFrom('http', 'https', 'HTTPS'), fc.option(fc.constantFrom('user:pw@', 'a@')), domainInput,
    fc.option(fc.integer({ min: 1, max: 65535 })), fc.webPath(), fc.webQueryParameters(), fc.webFragments(),
  ).map(([scheme, auth, host, port, path, query, fragment]): [IndicatorType, string] =>
    ['url', `${scheme}://${auth ?? ''}${host}${port === null ? '' : `:${port}`}${path}?${query}#${fragment}`]);
  expectValidShare(t, url);
  const anyUrl = fc.webUrl({
    withQueryParameters: true, withFragments: true,
    authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true },
  });
  expectValidShare(t, anyUrl.map((u): [IndicatorType, string] => ['url', u]), 0);
});

t.test('idempotence: ipv4 and ipv6', async (t) => {
  expectValidShare(t, fc.ipV4().map((ip): [IndicatorType, string] => ['ipv4', ip]));
  expectValidShare(t, globalIpv6.map((ip): [IndicatorType, string] => ['ipv6', ip]));
  expectValidShare(t, fc.ipV4().map((ip): [IndicatorType, string] => ['ipv6', `::ffff:${ip}`]));
  expectValidShare(t, fc.ipV6().map((ip): [IndicatorType, string] => ['ipv6', ip]), 0);
});

t.test('idempotence: cidr', async (t) => {
  expectValidShare(t, fc.tuple(fc.ipV4(), fc.integer({ min: 16, max: 32 }))
    .map(([ip, prefix]): [IndicatorType, string] => ['cidr', `${ip}/${prefix}`]));
  expectValidShare(t, fc.tuple(globalIpv6, fc.integer({ min: 32, max: 128 }))
    .map(([ip, prefix]): [IndicatorType, string] => ['cidr', `${ip}/${prefix}`]));
});

t.test('idempotence: asn', async (t) => {
  // Mostly public ASNs (fast-check favours the ends of a range, which are special-purpose here)…
  const publicAsn = fc.oneof(fc.integer({ min: 1, max: 64495 }), fc.integer({ min: 131072, max: 4199999999 }));
  const asn = (n: fc.Arbitrary<number>) => fc.tuple(fc.constantFrom('', 'AS', 'as', 'As'), fc.constantFrom('', '0', '00'), n)
    .map(([prefix, zeros, value]): [IndicatorType, string] => ['asn', `${prefix}${zeros}${value}`]);
  expectValidShare(t, asn(publicAsn), 0.95);
  // …and the whole 32-bit range.
  expectValidShare(t, asn(fc.integer({ min: 0, max: 4294967295 })), 0);
});

t.test('idempotence: iban', async (t) => {
  // Random account numbers in countries without a national checksum; composeIBAN adds the check digits.
  const bbanFormats: Array<[string, RegExp]> = [['DE', /^[0-9]{18}$/], ['GB', /^[A-Z]{4}[0-9]{14}$/], ['NL', /^[A-Z]{4}[0-9]{10}$/], ['AT', /^[0-9]{16}$/]];
  const validIban = fc.oneof(...bbanFormats.map(([country, format]) =>
    fc.stringMatching(format).map((bban) => composeIBAN({ countryCode: country, bban }) ?? '')));
  const iban = fc.tuple(validIban, fc.boolean(), fc.boolean())
    .map(([valid, spaced, lower]): [IndicatorType, string] => {
      const text = spaced ? valid.replace(/(.{4})/g, '$1 ') : valid;
      return ['iban', lower ? text.toLowerCase() : text];
    });
  expectValidShare(t, iban);
});

t.test('idempotence: social handles and profile URLs', async (t) => {
  const handle = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{3,29}$/);
  const bare = fc.tuple(fc.constantFrom('telegram', 'x', 'twitter', 'instagram', 'tiktok', 'youtube', 'facebook', 'vk', 'discord', 'mastodon', 'Signal'), fc.boolean(), handle)
    .map(([platform, at, h]): [IndicatorType, string, string] => ['social_account', `${at ? '@' : ''}${h}`, platform]);
  expectValidShare(t, bare, 0.9);
  const profileUrl = fc.tuple(
    fc.constantFrom<[string, string]>(['telegram', 't.me/'], ['x', 'x.com/'], ['x', 'twitter.com/'], ['instagram', 'www.instagram.com/'], ['tiktok', 'www.tiktok.com/@'], ['youtube', 'm.youtube.com/@']),
    fc.constantFrom('', 'https://', 'HTTP://'), handle,
  ).map(([[platform, prefix], scheme, h]): [IndicatorType, string, string] => ['social_account', `${scheme}${prefix}${h}`, platform]);
  expectValidShare(t, profileUrl, 0.9);
});
