import { HttpException } from '@nestjs/common';
import { EventStoreUnavailableError, InvalidAppendError } from '@verdict/event-store';
import { formatBytes, toProblem } from './problem-mapping';

// As Nest hands Fastify's body-limit refusal on: a bare HttpException.
const tooLarge = new HttpException('Request body is too large', 413);

describe('problem mapping', () => {
  it("names the refusing route's own body limit in a 413, and says only that when the limit is unknown", () => {
    expect(toProblem(tooLarge, 64 * 1024).doc).toMatchObject({ status: 413, type: '/problems/payload-too-large', detail: "The body exceeds this route's size limit of 64 KiB. Nothing was recorded." });
    expect(toProblem(tooLarge, 8 * 1024 * 1024).doc.detail).toContain('limit of 8 MiB.');
    expect(toProblem(tooLarge).doc.detail).toBe("The body exceeds this route's size limit. Nothing was recorded.");
  });

  it('writes limits in the unit they were set in', () => {
    expect(formatBytes(65_536)).toBe('64 KiB');
    expect(formatBytes(8 * 1024 * 1024)).toBe('8 MiB');
    expect(formatBytes(1536 * 1024)).toBe('1536 KiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });

  it('answers an append the store refused as invalid with a 500, not the 503 that promises a retry will do', () => {
    const refused = toProblem(new InvalidAppendError('Append to "decision-t" reuses an event id already stored'));
    expect(refused).toMatchObject({ doc: { status: 500, type: '/problems/internal-error' }, internal: true });
    expect(toProblem(new EventStoreUnavailableError('down')).doc).toMatchObject({ status: 503, type: '/problems/event-store-unavailable' });
  });
});
