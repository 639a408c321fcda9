import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { checksTextPerItem, markSuspectBody, mayHoldUnstorableText, unstorableIn } from './unstorable-text';
import { ProblemException } from './problem.exception';

/** What a body that is not UTF-8 is answered (problem-mapping.ts: malformed-json with this detail). */
export const BODY_NOT_UTF8 = 'The body is not valid UTF-8 text. Send JSON encoded as UTF-8, uncompressed.';

/**
 * Fastify's own JSON body parser (its limits, errors and prototype-poisoning settings), given the body only once its
 * bytes are known to be UTF-8. Fastify decodes them itself, turning bytes that are not UTF-8 into replacement
 * characters, so a gzip body sent without its Content-Encoding, or a Latin-1 one, got "not valid JSON", or was even
 * parsed with U+FFFD in place of what the caller sent. A lone surrogate or a NUL escaped in the JSON (`"\\uD800"`,
 * `"\\u0000"`) is refused too, naming where it is (unstorable-text.ts).
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (!isUtf8(body)) return done(Object.assign(new Error(BODY_NOT_UTF8), { statusCode: 400, code: 'VERDICT_BODY_NOT_UTF8' }), undefined);
    const text = body.toString('utf8');
    parseJson(request, text, (error: Error | null, parsed?: unknown) => {
      // The scan first: Fastify builds request.routeOptions afresh on every read, and a decision's body has no escape.
      if (error || !mayHoldUnstorableText(text)) return done(error, parsed);
      if (checksTextPerItem(request.routeOptions.url)) {
        markSuspectBody(parsed);
        return done(null, parsed);
      }
      const unstorable = unstorableIn(parsed);
      if (unstorable === undefined) return done(error, parsed);
      done(new ProblemException('validation-failed', 'The body holds text that cannot be stored as it is. Nothing was recorded.', { errors: [unstorable] }), undefined);
    });
  });
}
