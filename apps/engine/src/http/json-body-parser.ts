import { isUtf8 } from 'node:buffer';
import { errorCodes, type FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

/** What a body that is not UTF-8 is answered (problem-mapping.ts: malformed-json with this detail). */
export const BODY_NOT_UTF8 = 'The body is not valid UTF-8 text. Send JSON encoded as UTF-8, uncompressed.';

/**
 * Fastify's JSON body parser (the same limits, errors and prototype-poisoning refusals), except that it reads the body
 * as bytes and refuses bytes that are not UTF-8. Fastify's own decodes them into replacement characters, so a gzip body
 * sent without its Content-Encoding, or a Latin-1 one, got "not valid JSON", or was even parsed with U+FFFD in place of
 * what the caller sent.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    if (body.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    if (!isUtf8(body)) return done(Object.assign(new Error(BODY_NOT_UTF8), { statusCode: 400 }), undefined);
    try {
      done(null, secureJson.parse(body.toString('utf8'), { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
  });
}
