/**
 * The DNS primary for the resolver zones (contract §4, "Resolver zones"): off unless DNS_PORT is
 * set. It speaks just what a secondary needs — SOA queries (UDP and TCP), AXFR and IXFR over TCP,
 * NOTIFY out — and nothing without a TSIG key:
 *
 * - unsigned requests: REFUSED;
 * - an unknown key or algorithm, a bad MAC: NOTAUTH with the TSIG error BADKEY or BADSIG,
 *   unsigned (RFC 8945 §5.2); a signature out of time: NOTAUTH, BADTIME, signed;
 * - a valid key asking about any zone but its own (or anything but SOA, NS, AXFR, IXFR): REFUSED.
 *
 * Each zone is its client's (src/modules/dns/zones.ts). A refresher follows the change log every
 * DNS_REFRESH_MS and, when a zone changed, NOTIFYs the secondaries configured for it.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Answer, Question } from 'dns-packet';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rows, type Database, type Executor } from '../../db/client.js';
import type { Config, RpzConfig } from '../../config.js';
import { DEFAULT_SOA_TIMERS, rpzTriggers, serialNewer, type RpzEntry } from '../../domain/rpz.js';
import { feedHorizon } from '../feeds/query.js';
import { recordAudit } from '../audit/log.js';
import type { SealKeys } from './seal.js';
import { badTimeData, findTsig, TSIG_ERROR, TsigSigner, TsigVerifier, unsignedTsigError, verifyRequest, type TsigRecord } from './tsig.js';
import { decode, encode, frame, FrameReader, OPCODE, RCODE, rawHeader, TransferWriter, type Message } from './wire.js';
import {
  changesSince, liveZones, pruneJournal, refreshZone, servedZone, shapeOf, targetOf, zoneEntries, zoneForKey, zoneState,
  type ServedZone, type ZoneState,
} from './zones.js';

export interface DnsPrimaryOptions {
  db: Database;
  config: Pick<Config, 'dnsPort' | 'dnsHost' | 'dnsRefreshMs' | 'dnsReconcileSeconds' | 'rpz'>;
  sealKeys: SealKeys;
  log: FastifyBaseLogger;
}

export interface DnsPrimary {
  /** The port actually bound (TCP and UDP). */
  port: number;
  /** Runs one refresh of every zone now (queued behind a running one). */
  refreshNow(): Promise<void>;
  close(): Promise<void>;
}

const MAX_CONNECTIONS = 256;
const IDLE_MS = 30_000;
const NOTIFY_TRIES = 5;
const PRUNE_EVERY_MS = 3_600_000;

type Send = (message: Buffer) => Promise<void>;

/** The apex and the trigger records of a zone, as dns-packet records. */
function records(rpz: RpzConfig, zone: { name: string; policy: ServedZone['policy'] }) {
  const target = targetOf(zone.policy, rpz);
  return {
    soa: (serial: number): Answer => ({
      name: zone.name, type: 'SOA', ttl: rpz.ttl, class: 'IN',
      data: { mname: rpz.nameServer, rname: rpz.hostmaster, serial, ...DEFAULT_SOA_TIMERS, minimum: rpz.ttl },
    }),
    ns: (): Answer => ({ name: zone.name, type: 'NS', ttl: rpz.ttl, class: 'IN', data: rpz.nameServer }),
    triggers: (entry: RpzEntry): Answer[] => rpzTriggers(entry).map((owner) => ({
      name: `${owner}.${zone.name}`, type: 'CNAME', ttl: rpz.ttl, class: 'IN', data: target,
    })),
  };
}

/** `address`, `address:port` or `[v6]:port` → where to send a NOTIFY (port 53 by default). */
export function parseNotifyTarget(target: string): { address: string; port: number } | null {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(target) ?? /^([0-9.]+)(?::(\d{1,5}))?$/.exec(target) ?? /^([0-9a-fA-F:]+)()$/.exec(target);
  if (!m || !net.isIP(m[1]!)) return null;
  const port = m[2] ? Number(m[2]) : 53;
  return port >= 1 && port <= 65535 ? { address: m[1]!, port } : null;
}

export async function startDnsPrimary(options: DnsPrimaryOptions): Promise<DnsPrimary> {
  const { db, config, sealKeys } = options;
  const { rpz } = config;
  const log = options.log.child({ module: 'dns' });

  // --- answering -------------------------------------------------------------------------------

  async function handle(buf: Buffer, transport: 'tcp' | 'udp', send: Send, peer: string): Promise<void> {
    const raw = rawHeader(buf);
    if (!raw) return;
    if (raw.response) {
      if (transport === 'udp') notifier.acknowledge(buf, peer);
      return;
    }
    let message: Message;
    let tsig: TsigRecord | null;
    try {
      message = decode(buf);
      tsig = findTsig(buf);
    } catch {
      return send(encode({ id: raw.id, opcode: raw.opcode, rcode: RCODE.FORMERR }, {}));
    }
    const question = message.questions?.[0];
    const questions = question ? [question] : [];
    if (raw.opcode !== OPCODE.QUERY) return send(encode({ id: raw.id, opcode: raw.opcode, rcode: RCODE.NOTIMP }, { questions }));
    if (!question || message.questions!.length !== 1) return send(encode({ id: raw.id, rcode: RCODE.FORMERR }, { questions }));
    if (!tsig) return send(encode({ id: raw.id, rcode: RCODE.REFUSED }, { questions }));

    const zone = await zoneForKey(db, tsig.keyName, rpz, sealKeys);
    const verdict = verifyRequest(buf, tsig, zone?.key);
    if (!verdict.ok) {
      log.warn({ peer, error: verdict.error }, 'dns: TSIG check failed');
      const notAuth = encode({ id: raw.id, rcode: RCODE.NOTAUTH }, { questions });
      if (verdict.error === TSIG_ERROR.BADTIME) {
        return send(new TsigSigner(verdict.key!, tsig.mac).sign(notAuth, { error: TSIG_ERROR.BADTIME, otherData: badTimeData(), timeSigned: tsig.timeSigned }));
      }
      return send(unsignedTsigError(notAuth, tsig, verdict.error));
    }
    const signer = new TsigSigner(zone!.key, tsig.mac);
    const reply = (rcode: number, answers: Answer[] = []) =>
      send(signer.sign(encode({ id: raw.id, rcode, authoritative: rcode === RCODE.NOERROR }, { questions, answers })));

    if (question.class !== 'IN' || question.name.toLowerCase().replace(/\.$/, '') !== zone!.name) return reply(RCODE.REFUSED);
    const make = records(rpz, zone!);
    switch (question.type) {
      case 'SOA': return reply(RCODE.NOERROR, [make.soa(zone!.serial)]);
      case 'NS': return reply(RCODE.NOERROR, [make.ns()]);
      case 'AXFR':
        if (transport !== 'tcp') return reply(RCODE.REFUSED);
        return transfer(zone!, question, raw.id, send, signer, peer, undefined);
      case 'IXFR': {
        const held = message.authorities?.find((a) => a.type === 'SOA') as { data?: { serial?: number } } | undefined;
        if (typeof held?.data?.serial !== 'number') return reply(RCODE.FORMERR);
        // Over UDP, the current SOA alone tells the secondary to come over TCP (RFC 1995 §2).
        if (transport !== 'tcp') return reply(RCODE.NOERROR, [make.soa(zone!.serial)]);
        return transfer(zone!, question, raw.id, send, signer, peer, held.data.serial);
      }
      default: return reply(RCODE.REFUSED);
    }
  }

  /**
   * AXFR, or IXFR from `from`: read in one read-only repeatable-read transaction, so the serial
   * and the records are one version however long the secondary takes to read them.
   */
  async function transfer(zone: ServedZone, question: Question, id: number, send: Send, signer: TsigSigner, peer: string, from: number | undefined) {
    const started = performance.now();
    const writer = new TransferWriter(id, question, send, signer);
    let kind = from === undefined ? 'AXFR' : 'IXFR';
    let state: ZoneState | undefined;
    await db.transaction(async (tx) => {
      state = await zoneState(tx as unknown as Executor, zone.clientId);
      if (!state) return;
      const make = records(rpz, { name: zone.name, policy: state.policy });
      const soa = make.soa(state.serial);
      await writer.add(soa);
      if (from !== undefined) {
        if (!serialNewer(state.serial, from)) { kind = 'IXFR (up to date)'; return; }
        const diff = await changesSince(tx as unknown as Executor, state, from);
        if (diff) {
          await writer.add(make.soa(from));
          for (const e of diff.deleted) for (const r of make.triggers(e)) await writer.add(r);
          await writer.add(soa);
          for (const e of diff.added) for (const r of make.triggers(e)) await writer.add(r);
          await writer.add(soa);
          return;
        }
        kind = 'IXFR (as AXFR)';
      }
      await writer.add(make.ns());
      for await (const page of zoneEntries(tx as unknown as Executor, zone.clientId)) {
        for (const e of page) {
          for (const r of make.triggers(e)) {
            const sent = writer.add(r);
            if (sent) await sent;
          }
        }
      }
      await writer.add(soa);
    }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
    if (!state) return send(signer.sign(encode({ id, rcode: RCODE.REFUSED }, { questions: [question] })));
    await writer.flush();
    // Recorded once the transfer is out (its records carry no indicator ids; the serial names the zone's content).
    if (kind !== 'IXFR (up to date)') {
      await recordAudit(db, { clientId: zone.clientId }, {
        action: 'delivery', path: from === undefined || kind === 'IXFR (as AXFR)' ? 'dns:axfr' : 'dns:ixfr',
        subject: zone.name, detail: { serial: state.serial, ...(from !== undefined ? { from } : {}), records: writer.records },
      }).catch((err) => log.error({ err }, 'dns: zone transfer not audited'));
    }
    log.info({ zone: zone.name, kind, serial: state.serial, from, records: writer.records, messages: writer.messages, bytes: writer.octets, peer, ms: Math.round(performance.now() - started) }, 'dns: zone transfer');
  }

  // --- listeners -------------------------------------------------------------------------------

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer({ pauseOnConnect: false }, (socket) => {
    if (sockets.size >= MAX_CONNECTIONS) { socket.destroy(); return; }
    sockets.add(socket);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const reader = new FrameReader();
    const send: Send = (message) => new Promise((resolve, reject) => {
      if (socket.destroyed) return reject(new Error('connection closed'));
      if (socket.write(frame(message))) resolve();
      else {
        const done = () => { socket.off('close', closed); resolve(); };
        const closed = () => { socket.off('drain', done); reject(new Error('connection closed')); };
        socket.once('drain', done).once('close', closed);
      }
    });
    // One request at a time per connection, in order (a transfer may span many writes).
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const message of reader.push(chunk)) {
        queue = queue.then(() => handle(message, 'tcp', send, peer)).catch((err) => {
          if (!socket.destroyed) log.error({ err, peer }, 'dns: request failed');
          socket.destroy();
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(config.dnsPort ?? 0, config.dnsHost, () => { tcp.off('error', reject); resolve(); });
  });
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket(net.isIPv6(config.dnsHost) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, config.dnsHost, () => { udp.off('error', reject); resolve(); });
  });
  udp.on('error', (err) => log.error({ err }, 'dns: UDP socket error'));
  udp.on('message', (buf, info) => {
    const peer = `${info.address}:${info.port}`;
    const send: Send = (message) => new Promise((resolve) => udp.send(message, info.port, info.address, () => resolve()));
    handle(buf, 'udp', send, peer).catch((err) => log.error({ err, peer }, 'dns: request failed'));
  });

  // --- NOTIFY ----------------------------------------------------------------------------------

  const notifier = {
    pending: new Map<string, { timer: NodeJS.Timeout; verifier: TsigVerifier; zone: string }>(),
    /** Tells each configured secondary that `zone` changed; retried until answered (RFC 1996 §3.6). */
    notify(zone: ServedZone) {
      for (const target of zone.notify) {
        const to = parseNotifyTarget(target);
        if (!to) { log.warn({ zone: zone.name, target }, 'dns: NOTIFY target is not address[:port]'); continue; }
        if (net.isIPv6(to.address) !== net.isIPv6(config.dnsHost)) { log.warn({ zone: zone.name, target }, 'dns: NOTIFY target of another address family than DNS_HOST'); continue; }
        const id = Math.floor(Math.random() * 65536);
        const key = `${id}/${to.address}`;
        const signer = new TsigSigner(zone.key);
        const message = signer.sign(encode({ id, opcode: OPCODE.NOTIFY, authoritative: true, response: false }, {
          questions: [{ name: zone.name, type: 'SOA', class: 'IN' }],
          answers: [records(rpz, zone).soa(zone.serial)],
        }));
        const previous = this.pending.get(key);
        if (previous) clearTimeout(previous.timer);
        const attempt = (n: number) => {
          udp.send(message, to.port, to.address);
          const timer = setTimeout(() => {
            if (n + 1 < NOTIFY_TRIES) attempt(n + 1);
            else { this.pending.delete(key); log.warn({ zone: zone.name, target }, 'dns: NOTIFY not answered'); }
          }, 1000 * 2 ** n);
          timer.unref();
          this.pending.set(key, { timer, verifier: new TsigVerifier(zone.key, signer.mac!), zone: zone.name });
        };
        attempt(0);
      }
    },
    acknowledge(buf: Buffer, peer: string) {
      const address = peer.slice(0, peer.lastIndexOf(':'));
      const key = `${buf.readUInt16BE(0)}/${address}`;
      const waiting = this.pending.get(key);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.pending.delete(key);
      try {
        waiting.verifier.verify(buf);
      } catch (err) {
        log.warn({ zone: waiting.zone, peer, reason: (err as Error).message }, 'dns: NOTIFY answer not signed as expected');
      }
    },
    close() {
      for (const { timer } of this.pending.values()) clearTimeout(timer);
      this.pending.clear();
    },
  };

  // --- following the change log ----------------------------------------------------------------

  let lastPrune = 0;
  async function refreshAll(): Promise<void> {
    const horizon = await feedHorizon(db);
    const zones = await liveZones(db, config.dnsReconcileSeconds);
    if (!zones.length) return;
    const oldest = zones.reduce((min, z) => (BigInt(z.position) < min ? BigInt(z.position) : min), BigInt(horizon));
    const [logged] = await rows<{ any: boolean }>(db, sql`select exists (select 1 from indicator_changes
      where xid >= ${oldest.toString()}::xid8 and xid < ${horizon}::xid8) as any`);
    for (const z of zones) {
      const stale = z.shape !== shapeOf(z.policy, rpz);
      const behind = logged!.any && BigInt(z.position) < BigInt(horizon);
      if (!stale && !z.due && !behind) continue;
      const done = await refreshZone(db, z, horizon, rpz, z.due);
      if (!done?.changed) continue;
      const zone = await servedZone(db, z.clientId, rpz, sealKeys);
      if (zone) {
        log.info({ zone: zone.name, serial: zone.serial }, 'dns: zone changed');
        notifier.notify(zone);
      }
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneJournal(db);
    }
  }

  let running = Promise.resolve();
  const refreshNow = () => {
    running = running.then(refreshAll).catch((err) => log.error({ err }, 'dns: zone refresh failed'));
    return running;
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    refreshNow().finally(() => {
      if (!stopped) { timer = setTimeout(loop, config.dnsRefreshMs); timer.unref(); }
    });
  };
  loop();

  log.info({ host: config.dnsHost, port, origin: rpz.origin }, 'dns: primary for the resolver zones listening (TCP and UDP)');
  return {
    port,
    refreshNow,
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      notifier.close();
      await running;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
