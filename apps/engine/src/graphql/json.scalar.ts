import { GraphQLError, GraphQLScalarType } from 'graphql';

/** Any JSON value, answered as it is (an event's own data). Output only: nothing takes it as input. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: "A JSON value, as recorded (e.g. an alert event's data; its shape is the event's, see docs/events.md)",
  serialize: (value) => value,
  parseValue() {
    throw new GraphQLError('JSON is an output type only');
  },
  parseLiteral() {
    throw new GraphQLError('JSON is an output type only');
  },
});
