import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { ALERT_TYPES, toFieldErrors } from '@verdict/domain';
import type { AlertPage, AlertQueries } from '@verdict/read-models';
import { ProblemException } from '../http/problem.exception';
import { ALERTS } from '../infrastructure/tokens';
import { Roles } from '../access/route-roles';

const params = z
  .object({
    type: z.enum(ALERT_TYPES).optional(),
    model: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Alerts (drift, degraded performance, challenger rollbacks), newest first. */
@Controller('v1/alerts')
export class AlertsController {
  constructor(@Inject(ALERTS) private readonly alerts: Pick<AlertQueries, 'list'>) {}

  @Roles('analyze', 'operate')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<AlertPage> {
    const parsed = params.safeParse(query ?? {});
    if (!parsed.success) throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, query ?? {}) });
    return this.alerts.list(parsed.data);
  }
}
