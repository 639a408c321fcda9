import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessLog } from '../access/access-log';
import { failedRead } from '../access/access-recording.interceptor';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens';
import { DecisionExporter, type OpenedExport } from './decision-export';
import { parseExportParams, type ExportRequest } from './export-params';
import { Roles } from '../access/route-roles';

/** Response header: how many matching decisions the read model holds when the export starts (progress bars). */
export const EXPECTED_ROWS_HEADER = 'verdict-expected-rows';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8; header=present', jsonl: 'application/jsonl; charset=utf-8' } as const;

/** `verdict-decisions_<from>_<to>.<format>`, instants without colons (safe in every file system). */
export function exportFilename(request: ExportRequest, now: Date): string {
  const stamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const from = request.filter.from ? stamp(request.filter.from) : 'start';
  return `verdict-decisions_${from}_${stamp(request.filter.to ?? now)}.${request.format}`;
}

/** Auditors' bulk export, streamed from the event store (docs/audit.md). */
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly exporter: DecisionExporter,
    private readonly access: AccessLog,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Roles('audit')
  @Get('decisions')
  async decisions(@Query() raw: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target = { principal: req.principal!, operation: `GET ${req.routeOptions.url}`, parameters: { ...(req.query as Record<string, unknown>) } };
    // Streamed, so not under AccessRecording: this handler records its reads itself, a refused one (400) included.
    let request: ExportRequest;
    let opened: OpenedExport;
    try {
      request = parseExportParams(raw);
      opened = await this.exporter.open(request);
    } catch (e) {
      await this.access.record(failedRead(target, e));
      throw e;
    }
    const { stream, expectedCount } = opened;
    // The access log records the rows the export holds as it starts, before the first one leaves.
    try {
      await this.access.record({ ...target, status: 200, records: expectedCount });
    } catch (e) {
      stream.destroy();
      throw e;
    }
    stream.once('error', (err) => this.log.error({ err }, 'decision export failed mid-stream; the response was cut off'));
    void reply
      .status(200)
      .header('content-type', CONTENT_TYPES[request.format])
      .header('content-disposition', `attachment; filename="${exportFilename(request, new Date())}"`)
      .header(EXPECTED_ROWS_HEADER, String(expectedCount))
      .header('cache-control', 'no-store')
      .send(stream);
  }
}
