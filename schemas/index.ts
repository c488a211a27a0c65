/** Every named schema, registered with fastify (validation) and swagger (components). */
import { auditSchemas } from './audit.js';
import { commonSchemas } from './common.js';
import { dnsSchemas } from './dns.js';
import { feedSchemas } from './feeds.js';
import { identitySchemas } from './identity.js';
import { indicatorSchemas } from './indicators.js';

export const allSchemas = [...commonSchemas, ...identitySchemas, ...indicatorSchemas, ...feedSchemas, ...dnsSchemas, ...auditSchemas];
