import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replayRequestSchema } from '@verdict/domain';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { ReplayService, type ReplayState } from './replay-service';
import { Roles } from '../access/route-roles';
import { RecordsAccess } from '../access/access-recording.interceptor';

const REPLAY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const view = (s: ReplayState) => ({
  replayId: s.replayId,
  status: s.status,
  progress: s.progress,
  selection: s.selection,
  requestedAt: s.requestedAt,
  actor: s.actor,
  ...(s.completedAt === undefined ? {} : { completedAt: s.completedAt }),
  ...(s.reportSha256 === undefined ? {} : { reportSha256: s.reportSha256 }),
  ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
  ...(s.report === undefined ? {} : { report: s.report }),
  ...(s.error === undefined ? {} : { error: s.error }),
});

/** An auditor's replay: request one (202), then follow it to its report. */
@Controller('v1/replays')
export class ReplayController {
  constructor(private readonly replays: ReplayService) {}

  @Roles('audit')
  @Post()
  async request(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const state = await this.replays.request(validBody(replayRequestSchema, body ?? {}), actorOf(req));
    void reply.status(202).header('location', `/v1/replays/${state.replayId}`).send({ replayId: state.replayId, status: state.status });
  }

  @Roles('audit')
  @RecordsAccess()
  @Get(':replayId')
  async get(@Param('replayId') replayId: string): Promise<unknown> {
    const state = REPLAY_ID.test(replayId) ? await this.replays.state(replayId) : null;
    if (!state) throw new ProblemException('replay-not-found', `No replay ${replayId} has been requested.`);
    return view(state);
  }
}
