import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readiness } from './readiness';
import { Public } from '../access/route-roles';

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** The process is up and serving HTTP. */
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 200 when decisions can be made and recorded; 503 otherwise. Reports projection lag either way. */
  @Public()
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
