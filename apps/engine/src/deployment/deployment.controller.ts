import { Body, Controller, Get, Inject, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { instantParamSchema, toFieldErrors, type DeploymentCommand } from '@verdict/domain';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { DEPLOYMENT_HISTORY } from '../infrastructure/tokens';
import { DEPLOYMENT_BODIES, toCommand } from './deployment-bodies';
import { DeploymentAt } from './deployment-at';
import { DeploymentChanges } from './deployment-changes';
import { DeploymentFollower } from './deployment-follower';
import { DeploymentRuntime } from './deployment-runtime';
import { toDeploymentView } from './deployment-view';
import type { DeploymentHistoryQueriesPort } from './deployment-history.port';
import { Roles } from '../access/route-roles';

const IF_MATCH = /^\s*(?:W\/)?"(\d{1,12})"\s*$/;

const stateQuery = z.object({ at: instantParamSchema.optional() }).strict();
const historyQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().min(1).max(40).optional() })
  .strict();

function query<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ProblemException('invalid-query', 'One or more query parameters are invalid.', { errors: toFieldErrors(parsed.error, raw ?? {}) });
  }
  return parsed.data;
}

/**
 * The one decision flow: read it (now, or as it was at an instant), its history, and change it. Every change
 * answers with the new state and `ETag: "<revision>"`, and honours `If-Match: "<revision>"` (412 when stale).
 */
@Controller('v1/deployment')
export class DeploymentController {
  constructor(
    private readonly changes: DeploymentChanges,
    private readonly follower: DeploymentFollower,
    @Inject(DEPLOYMENT_HISTORY) private readonly history: DeploymentHistoryQueriesPort,
    private readonly deploymentAt: DeploymentAt,
    private readonly runtime: DeploymentRuntime,
  ) {}

  @Roles('operate', 'analyze', 'audit')
  @Get()
  async state(@Query() raw: unknown, @Res() reply: FastifyReply): Promise<void> {
    const { at } = query(stateQuery, raw);
    if (at === undefined) {
      // What is in force on this instance (a change answered here is in force before its answer is sent).
      const state = this.runtime.current()?.state ?? this.follower.latest();
      void reply.header('etag', `"${state.revision}"`).send(toDeploymentView(state));
      return;
    }
    void reply.send(await this.deploymentAt.at(new Date(at)));
  }

  @Roles('operate', 'analyze', 'audit')
  @Get('history')
  list(@Query() raw: unknown): Promise<unknown> {
    return this.history.list(query(historyQuery, raw));
  }

  @Roles('operate')
  @Put('champion')
  champion(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.champion(validBody(DEPLOYMENT_BODIES.champion, body)), req, reply);
  }

  @Roles('operate')
  @Put('challenger')
  challenger(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.challenger(validBody(DEPLOYMENT_BODIES.challenger, body)), req, reply);
  }

  @Roles('operate')
  @Patch('challenger')
  traffic(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.traffic(validBody(DEPLOYMENT_BODIES.traffic, body)), req, reply);
  }

  @Roles('operate')
  @Post('challenger/promote')
  promote(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.promote(validBody(DEPLOYMENT_BODIES.reason, body)), req, reply);
  }

  @Roles('operate')
  @Post('challenger/rollback')
  rollbackChallenger(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.rollbackChallenger(validBody(DEPLOYMENT_BODIES.reason, body)), req, reply);
  }

  @Roles('operate')
  @Post('rollback')
  rollbackChampion(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.rollbackChampion(validBody(DEPLOYMENT_BODIES.reason, body)), req, reply);
  }

  @Roles('operate')
  @Put('policy')
  policy(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.apply(toCommand.policy(validBody(DEPLOYMENT_BODIES.policy, body)), req, reply);
  }

  private async apply(command: DeploymentCommand, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers['if-match'];
    let ifMatch: number | undefined;
    if (typeof header === 'string') {
      const m = IF_MATCH.exec(header);
      if (!m) throw new ProblemException('invalid-query', 'If-Match must be a deployment revision as an entity tag, e.g. "7".', { errors: [{ path: '/headers/if-match', message: 'must look like "<revision>"' }] });
      ifMatch = Number(m[1]);
    }
    const state = await this.changes.change(command, { actor: actorOf(req), ifMatch });
    void reply.status(200).header('etag', `"${state.revision}"`).send(toDeploymentView(state));
  }
}
