import { Controller, Get, Param, Query } from '@nestjs/common';
import { isModelId } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import { RegisteredVersionNotFoundError } from '../models/model-catalog';
import { ModelPerformanceReport, type PerformanceReport } from './model-performance-report';
import { parsePerformanceParams } from './performance-params';
import { Roles } from '../access/route-roles';

/** How good a model version is, measured against labels as known at a time. */
@Controller('v1/models')
export class PerformanceController {
  constructor(private readonly performance: ModelPerformanceReport) {}

  @Roles('analyze', 'operate')
  @Get(':name/versions/:version/performance')
  async report(@Param('name') name: string, @Param('version') version: string, @Query() query: Record<string, unknown>): Promise<PerformanceReport> {
    if (!isModelId(name) || !isModelId(version)) throw new ProblemException('invalid-model-id', 'Model names and versions are 1–64 characters of A-Z, a-z, 0-9, ".", "_" and "-".');
    const params = parsePerformanceParams(query, new Date());
    try {
      return await this.performance.report(name, version, params);
    } catch (error) {
      if (error instanceof RegisteredVersionNotFoundError) throw new ProblemException('model-version-not-found', error.message);
      throw error;
    }
  }
}
