import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Liveness } from './liveness';
import { Readiness } from './readiness';
import { Public } from '../access/route-roles';

@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly liveness: Liveness,
  ) {}

  /** 200 while the process serves HTTP and no supervised component has been given up on; 503 otherwise (see Liveness). */
  @Public()
  @Get('live')
  live(@Res() reply: FastifyReply): void {
    const report = this.liveness.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  /** 200 when decisions can be made and recorded; 503 otherwise. Reports projection lag either way. */
  @Public()
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
