import type { RouteAccessCatalog } from '../access/route-access-catalog';

type Schema = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** `/v1/decisions/{decisionId}` → `/v1/decisions/:decisionId`. */
const fastifyPath = (openApiPath: string): string => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

/**
 * The document with each operation's access as the engine enforces it: `x-verdict-roles` (the roles any one of which
 * opens it; `admin` always may), `security` (none for public routes), and the 401/403/429 answers. An operation whose
 * route declares nothing is marked admin-only, as the hook treats it.
 */
export function withAccess(document: Schema, catalog: RouteAccessCatalog): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const [p, item] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    paths[p] = { ...item };
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const { access } = catalog.lookup(method, fastifyPath(p));
      if (access === 'public') {
        paths[p][method] = { ...operation, security: [], 'x-verdict-roles': 'public' };
        continue;
      }
      const roles = access ?? ['admin'];
      paths[p][method] = {
        ...operation,
        security: [{ bearer: [] }],
        'x-verdict-roles': roles,
        description: [operation.description, `Roles: ${roles.join(' or ')} (or admin).`].filter(Boolean).join('\n\n'),
        responses: {
          ...(operation.responses as Schema),
          '401': problem('No valid credential (unauthenticated)'),
          '403': problem(`The caller holds none of: ${roles.join(', ')} (forbidden)`),
          '429': problem('Over the rate limit of the key (rate-limited); see Retry-After'),
        },
      };
    }
  }
  const components = document.components as Schema;
  return {
    ...document,
    paths,
    components: {
      ...components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (vdk_…) or, where OIDC is configured, a token from its issuer (docs/security.md)' } },
    },
  };
}
