/**
 * The OASIS STIX 2.1 JSON schemas (draft 2020-12), compiled once for tests. They are published
 * next to the repositories in `shared/standards/` (see its README), found by walking up from the
 * project root; a missing copy fails the tests that need it rather than skipping them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = formats as unknown as typeof formats.default;

const RELATIVE = join('shared', 'standards', 'stix2.1-json-schemas');

function schemasDir(): string {
  for (let dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'); ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`the OASIS STIX 2.1 schemas were not found in any ${RELATIVE} above the project`);
  }
}

let bundleValidator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  // ajv-formats has no idn-hostname; only domain-name observables use it, and we emit patterns, not observables.
  ajv.addFormat('idn-hostname', true);
  const root = schemasDir();
  let bundleId = '';
  for (const folder of ['common', 'observables', 'sdos', 'sros']) {
    for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(root, folder, file), 'utf8')) as { $id: string };
      ajv.addSchema(schema);
      if (folder === 'common' && file === 'bundle.json') bundleId = schema.$id;
    }
  }
  return ajv.getSchema(bundleId)!;
}

/** Every schema error of a STIX bundle, as readable lines; an empty list when it is valid. */
export function stixBundleErrors(bundle: unknown): string[] {
  bundleValidator ??= compile();
  if (bundleValidator(bundle)) return [];
  return (bundleValidator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
