/**
 * The registry: every measure the harness knows, in report order. A new measure is one file
 * in this folder exporting a `Measure` (see ../lib/measure.ts), added here.
 */
import type { Measure } from '../lib/measure.js';
import { audit } from './audit.js';
import { feedPull } from './feed-pull.js';
import { graph } from './graph.js';
import { ingest } from './ingest.js';
import { memory } from './memory.js';
import { scaling } from './scaling.js';
import { stream } from './stream.js';
import { taxiiPaging } from './taxii.js';
import { underLoad } from './under-load.js';

// graph before memory: the peak memory it reports covers the graph queries too.
export const MEASURES: Measure[] = [ingest, feedPull, taxiiPaging, underLoad, graph, memory, scaling, stream, audit];
