import { existsSync } from 'node:fs';

/** The folder holding package.json, found from this file, so `src/` and `dist/src/` agree. */
function findProjectRoot(): URL {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    if (existsSync(new URL('package.json', dir))) return dir;
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error('package.json not found above ' + import.meta.url);
    dir = parent;
  }
}

export const projectRoot: URL = findProjectRoot();
