/** Every named schema, registered with fastify (validation) and swagger (components). */
import { commonSchemas } from './common.js';
import { identitySchemas } from './identity.js';

export const allSchemas = [...commonSchemas, ...identitySchemas];
