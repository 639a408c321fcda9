import {
  astFromValue,
  GraphQLError,
  Kind,
  typeFromAST,
  valueFromASTUntyped,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface GraphqlLimits {
  readonly maxDepth: number;
  readonly maxComplexity: number;
}

/**
 * An operation over a limit. Thrown before anything runs; Mercurius answers it like a validation failure (HTTP 400,
 * `data: null`, the errors listed).
 */
export class QueryLimitError extends Error {
  readonly statusCode = 400;
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors.map((e) => e.message).join(' '));
    this.name = 'QueryLimitError';
  }
}

/** Levels of nested fields; introspection (`__schema`, `__type`, …) is not counted, so any client can introspect. */
function depthOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, visiting: Set<string>): number {
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value.startsWith('__')) continue;
      max = Math.max(max, 1 + (s.selectionSet ? depthOf(s.selectionSet, fragments, visiting) : 0));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(s.selectionSet, fragments, visiting));
    } else {
      const fragment = fragments.get(s.name.value);
      if (!fragment || visiting.has(s.name.value)) continue; // unknown or cyclic: other rules report it
      visiting.add(s.name.value);
      max = Math.max(max, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(s.name.value);
    }
  }
  return max;
}

/** A validation rule: an operation nested deeper than `maxDepth` fields is refused. */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      const depth = depthOf(operation.selectionSet, fragments, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`The ${operation.operation} is ${depth} levels deep; the limit is ${maxDepth} (VERDICT_GRAPHQL_MAX_DEPTH).`, {
            nodes: [operation],
            extensions: { code: 'query-too-deep', depth, limit: maxDepth },
          }),
        );
      }
    },
  });
}

const introspectionIsFree: ComplexityEstimator = ({ field }) => (field.name.startsWith('__') ? 0 : undefined);

/**
 * The estimated cost: every field 1, unless its definition says otherwise (fields read from a decision's stream
 * cost more; a list of decisions multiplies its selection by `first`). Introspection costs nothing.
 */
export function complexityOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [introspectionIsFree, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/**
 * The cost of a paged list (`decisions`, `alerts`, `reviews`): 1 plus its selection once per item of the page. A
 * page size outside 1–`maxPage` (which the resolver then refuses) counts as the largest page, so no argument can
 * lower the estimate: a negative `first` once made the total negative and let its sibling fields run unmeasured.
 */
export function pageComplexity(maxPage: number): (options: { args: Record<string, unknown>; childComplexity: number }) => number {
  return ({ args, childComplexity }) => {
    const first = args.first;
    const size = typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= maxPage ? first : maxPage;
    return 1 + size * childComplexity;
  };
}

/** The error for an operation above `maxComplexity`, or null. */
export function complexityError(limits: GraphqlLimits, complexity: number): GraphQLError | null {
  if (complexity <= limits.maxComplexity) return null;
  return new GraphQLError(
    `The operation's estimated cost is ${complexity}; the limit is ${limits.maxComplexity} (VERDICT_GRAPHQL_MAX_COMPLEXITY). Ask for fewer items or fewer fields.`,
    { extensions: { code: 'query-too-complex', complexity, limit: limits.maxComplexity } },
  );
}

/**
 * The cost of the operation a resolver belongs to, from its info: how a subscription is measured, since Mercurius
 * hands its subscription hooks no variables. The variables are turned back into their input form first.
 */
export function complexityOfOperation(info: GraphQLResolveInfo): number {
  const variables: Record<string, unknown> = {};
  for (const definition of info.operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(info.schema, definition.type) as GraphQLInputType | undefined;
    const ast = type && name in info.variableValues ? astFromValue(info.variableValues[name], type) : null;
    if (ast) variables[name] = valueFromASTUntyped(ast);
  }
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [info.operation, ...Object.values(info.fragments)] };
  return complexityOf(info.schema, document, variables);
}
