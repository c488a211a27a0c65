/** Every named schema, registered with fastify (validation) and swagger (components). */
import { analysisSchemas } from './analysis.js';
import { auditSchemas } from './audit.js';
import { commonSchemas } from './common.js';
import { dnsSchemas } from './dns.js';
import { feedSchemas } from './feeds.js';
import { identitySchemas } from './identity.js';
import { indicatorSchemas } from './indicators.js';
import { outcomeSchemas } from './outcomes.js';
import { statsSchemas } from './stats.js';
import { taxiiSchemas } from './taxii.js';

export const allSchemas = [...commonSchemas, ...identitySchemas, ...indicatorSchemas, ...feedSchemas, ...dnsSchemas, ...outcomeSchemas, ...analysisSchemas, ...statsSchemas, ...taxiiSchemas, ...auditSchemas];
