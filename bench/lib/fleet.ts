/**
 * The organisations of the benchmark, created through the admin API like an operator would:
 * 1,000 organisations (partners, agencies, intermediaries), one client each, and sharing groups.
 */
import { Api, pool } from './http.js';
import { groupSpecs, orgSpecs, type Directory, type FleetGroup, type FleetOrg } from './generate.js';

export interface Member extends FleetOrg { clientId: string; secret: string }

export class Fleet implements Directory {
  readonly #tokens = new Map<string, string>();
  readonly partners: Member[];
  readonly agencies: Member[];
  readonly intermediaries: Member[];
  constructor(readonly api: Api, readonly members: Member[], readonly groups: FleetGroup[]) {
    this.partners = members.filter((m) => m.kind === 'partner');
    this.agencies = members.filter((m) => m.kind === 'agency');
    this.intermediaries = members.filter((m) => m.kind === 'intermediary');
  }

  async token(member: Member): Promise<string> {
    let token = this.#tokens.get(member.id);
    if (!token) {
      token = await this.api.token(member.clientId, member.secret);
      this.#tokens.set(member.id, token);
    }
    return token;
  }

  /** The agency receiving the most: its country is the most common one, and it is in sharing groups. */
  mainConsumer(): Member {
    const inGroups = (m: Member) => this.groups.filter((g) => g.members.includes(m.id)).length;
    const candidates = this.agencies.filter((m) => m.country === 'FR');
    return candidates.sort((a, b) => inGroups(b) - inGroups(a))[0] ?? this.agencies[0]!;
  }
}

export async function createFleet(api: Api, adminToken: string, seed: number, orgCount: number, groupCount: number, log: (m: string) => void): Promise<Fleet> {
  const specs = orgSpecs(seed, orgCount);
  const t0 = Date.now();
  const members = await pool(specs.length, 8, async (i) => {
    const spec = specs[i]!;
    const org = await api.json<{ id: string }>('POST', '/v1/orgs', adminToken, spec);
    const client = await api.json<{ client_id: string; client_secret: string }>('POST', `/v1/orgs/${org.id}/clients`, adminToken, { name: 'primary' });
    return { ...spec, id: org.id, clientId: client.client_id, secret: client.client_secret } as Member;
  });
  log(`created ${members.length} organisations and clients through the admin API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const groups: FleetGroup[] = [];
  for (const spec of groupSpecs(seed, members, groupCount)) {
    const group = await api.json<{ id: string }>('POST', '/v1/sharing-groups', adminToken, spec);
    groups.push({ id: group.id, name: spec.name, members: spec.members });
  }
  log(`created ${groups.length} sharing groups`);
  return new Fleet(api, members, groups);
}
