import t from 'tap';
import { compareFeedPositions, decodeCursor, encodeCursor, horizonOf, standbyHorizon } from '../../src/domain/cursor.js';

const key = Buffer.alloc(32, 7);

t.test('cursors: opaque, signed, bound to their endpoint', async (t) => {
  const cursor = encodeCursor('feed', { x: '42', p: 7 }, key);
  t.same(decodeCursor('feed', cursor, key), { k: 'feed', x: '42', p: 7 });
  t.equal(decodeCursor('indicators', cursor, key), null, 'a cursor of another endpoint is refused');
  t.equal(decodeCursor('feed', cursor, Buffer.alloc(32, 8)), null, 'another key: refused');
  const [body, mac] = cursor.split('.');
  const forged = Buffer.from(JSON.stringify({ k: 'feed', x: '43', p: 7 })).toString('base64url');
  t.equal(decodeCursor('feed', `${forged}.${mac}`, key), null, 'a changed body: refused');
  t.equal(decodeCursor('feed', `${body}`, key), null, 'no signature: refused');
  t.equal(decodeCursor('feed', 'x'.repeat(3000), key), null, 'oversized: refused');
});

t.test('feed positions order by transaction, then position', async (t) => {
  t.ok(compareFeedPositions({ xid: '9', pos: 100 }, { xid: '10', pos: 1 }) < 0, 'xids compare as numbers, not strings');
  t.ok(compareFeedPositions({ xid: '10', pos: 2 }, { xid: '10', pos: 1 }) > 0);
  t.equal(compareFeedPositions({ xid: '18446744073709551615', pos: 1 }, { xid: '18446744073709551615', pos: 1 }), 0, '64-bit xids');
});

t.test('the horizon: the oldest running transaction of this database, else xmax', async (t) => {
  const cases: Array<[string, { xmax: string; xip: string[] }, string[], string]> = [
    ['nothing running anywhere', { xmax: '1000', xip: [] }, [], '1000'],
    ['only other databases\' transactions running', { xmax: '1000', xip: ['990', '995'] }, [], '1000'],
    ['one of ours running', { xmax: '1000', xip: ['990', '995'] }, ['995'], '995'],
    ['the oldest of ours', { xmax: '1000', xip: ['990', '995', '998'] }, ['998', '990'], '990'],
    ['ours finished after the snapshot (not seen running): served', { xmax: '1000', xip: ['990'] }, ['1003'], '1000'],
    // Epoch 1: xid8 4294967296 + 5 is backend_xid 5.
    ['64-bit xids matched on their low 32 bits', { xmax: '4294967400', xip: ['4294967301', '4294967350'] }, ['5', '54'], '4294967301'],
  ];
  for (const [name, snapshot, here, expected] of cases) t.equal(horizonOf(snapshot, here), expected, name);
});

t.test('the horizon on a hot standby: the snapshot\'s xmin, whatever database its transactions are in', async (t) => {
  t.equal(standbyHorizon({ xmin: '1000', xmax: '1000', xip: [] }), '1000', 'nothing running as far as replay knows: xmax');
  t.equal(standbyHorizon({ xmin: '990', xmax: '1000', xip: [] }), '990', 'running on the primary, or committed there and not replayed: held at the oldest');
  t.equal(standbyHorizon({ xmin: '990', xmax: '1000', xip: ['985', '995'] }), '985', 'an xip list, should a server show one, is taken into account');
  t.equal(standbyHorizon({ xmin: '18446744073709551000', xmax: '18446744073709551615', xip: [] }), '18446744073709551000', '64-bit xids');
});
