import { Controller, Get, Header } from '@nestjs/common';
import { DecisionMetrics } from './decision-metrics';
import { Roles } from '../access/route-roles';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: DecisionMetrics) {}

  @Roles('operate')
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
