/** OpenAPI paths and schemas of the GraphQL endpoint: its transport only; the API itself is schema.graphql. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });

const request: Schema = {
  type: 'object',
  required: ['query'],
  properties: {
    query: { type: 'string', description: 'A GraphQL document (schema.graphql)' },
    variables: { type: ['object', 'null'] },
    operationName: { type: ['string', 'null'], description: 'Which operation of the document to run, when it has several' },
  },
};

const response: Schema = {
  type: 'object',
  properties: {
    data: { type: ['object', 'null'] },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['message'],
        properties: {
          message: { type: 'string' },
          path: { type: 'array', items: { type: ['string', 'integer'] } },
          extensions: {
            type: 'object',
            description:
              '`code`: a problem code (/problems/<code>, with `status` and, for bad arguments, `errors[].path`), or query-too-deep / query-too-complex with `limit`',
          },
        },
      },
    },
  },
};

const description =
  'GraphQL (docs/graphql.md; the schema is schema.graphql, and introspection is on). Subscriptions (decisionMade) use the ' +
  'graphql-transport-ws protocol over a WebSocket upgrade of GET /graphql. Operations deeper than VERDICT_GRAPHQL_MAX_DEPTH or ' +
  'costing more than VERDICT_GRAPHQL_MAX_COMPLEXITY are refused with 400 before anything runs.';

export function graphqlPaths(): Record<string, unknown> {
  return {
    '/graphql': {
      post: {
        summary: 'Run a GraphQL query',
        description,
        requestBody: { required: true, content: json(ref('GraphqlRequest')) },
        responses: {
          '200': { description: 'The result: data, and errors for fields that failed', content: json(ref('GraphqlResponse')) },
          '400': { description: 'A query that is not a string of GraphQL text, an operationName that names none of its operations, a document that does not parse or validate, bad variables, or over a limit: data is null', content: json(ref('GraphqlResponse')) },
        },
      },
      get: {
        summary: 'Run a GraphQL query from the query string, or upgrade to a WebSocket for subscriptions',
        parameters: [
          { name: 'query', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'variables', in: 'query', required: false, schema: { type: 'string' }, description: 'JSON' },
          { name: 'operationName', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '101': { description: 'Switched to a WebSocket (Sec-WebSocket-Protocol: graphql-transport-ws)' },
          '200': { description: 'The result', content: json(ref('GraphqlResponse')) },
          '400': { description: 'Invalid (as for POST) or over a limit', content: json(ref('GraphqlResponse')) },
        },
      },
    },
  };
}

export function graphqlSchemas(): Record<string, Schema> {
  return { GraphqlRequest: request, GraphqlResponse: response };
}
