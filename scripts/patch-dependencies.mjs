/**
 * Fixes in dependencies that upstream has not released yet, applied after every install
 * (`postinstall`). Each patch names its upstream issue; when a new release changes the patched
 * text, this script fails the install so that someone checks whether the fix has landed and
 * removes the patch — it never silently stops applying.
 *
 * postgres.js 3.4.9: when a connection dies inside a transaction, the driver's own ROLLBACK is
 * written to the socket it has just set to null and an uncaught TypeError kills the process
 * (porsager/postgres#1208, #1154; the guard proposed in #1168). The query has already been
 * rejected with CONNECTION_CLOSED by then, so the write is dropped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARK = '/* isop: patched, porsager/postgres#1208 */';
const patches = [
  {
    files: ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((f) => `node_modules/postgres/${f}`),
    version: ['node_modules/postgres/package.json', '3.4.9'],
    find: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    replace: `  function nextWrite(fn) {\n    if (!socket) return (chunk = nextWriteTimer = null, false) ${MARK}\n    const x = socket.write(chunk, fn)`,
  },
];

let failed = false;
for (const patch of patches) {
  const [manifest, version] = patch.version;
  if (!existsSync(join(root, manifest))) continue; // not installed (e.g. a partial install)
  const installed = JSON.parse(readFileSync(join(root, manifest), 'utf8')).version;
  for (const file of patch.files) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (text.includes(MARK)) continue;
    if (installed !== version || !text.includes(patch.find)) {
      console.error(`patch-dependencies: ${file} (${installed}) no longer matches the patch written for ${version}; check whether upstream fixed it and update scripts/patch-dependencies.mjs`);
      failed = true;
      continue;
    }
    writeFileSync(path, text.replace(patch.find, patch.replace));
  }
}
if (failed) process.exit(1);
