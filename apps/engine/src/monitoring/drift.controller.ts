import { Controller, Get, Query } from '@nestjs/common';
import { parseDriftParams } from './drift-params';
import { DriftReport, type DriftReportBody } from './drift-report';
import { Roles } from '../access/route-roles';

/** Per-window drift figures per feature and the score, from the drift read model (docs/monitoring.md). */
@Controller()
export class DriftController {
  constructor(private readonly reports: DriftReport) {}

  @Roles('analyze', 'operate')
  @Get('v1/monitoring/drift')
  drift(@Query() query: Record<string, unknown>): Promise<DriftReportBody> {
    const now = Date.now();
    return this.reports.report(parseDriftParams(query, this.reports.windowSeconds, now), now);
  }
}
