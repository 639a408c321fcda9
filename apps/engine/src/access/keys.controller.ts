import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyError, createKeyRequestSchema, isApiKeyId, revokeKeyRequestSchema } from '@verdict/domain';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { KeyDirectory } from './key-directory';
import { Roles } from './route-roles';

/** API keys (admin only): create one (its secret is in this answer and nowhere else), list them, revoke one. */
@Controller('v1/keys')
export class KeysController {
  constructor(private readonly keys: KeyDirectory) {}

  @Roles('admin')
  @Post()
  async create(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const request = validBody(createKeyRequestSchema, body ?? {});
    const created = await guarded(() => this.keys.create(request, actorOf(req)));
    void reply.status(201).header('location', `/v1/keys/${created.key.keyId}`).header('cache-control', 'no-store').send(created);
  }

  @Roles('admin')
  @Get()
  list(): unknown {
    return { items: this.keys.list() };
  }

  @Roles('admin')
  @Get(':keyId')
  get(@Param('keyId') keyId: string): unknown {
    const key = isApiKeyId(keyId) ? this.keys.get(keyId) : undefined;
    if (!key) throw new ProblemException('key-not-found', `No key ${keyId} has been created.`);
    return key;
  }

  @Roles('admin')
  @Post(':keyId/revoke')
  @HttpCode(200)
  async revoke(@Param('keyId') keyId: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<unknown> {
    const { reason } = validBody(revokeKeyRequestSchema, body ?? {});
    return guarded(() => this.keys.revoke(keyId, actorOf(req), reason ?? null));
  }
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof ApiKeyError)) throw e;
    if (e.code === 'unknown-key') throw new ProblemException('key-not-found', e.message);
    if (e.code === 'key-already-revoked') throw new ProblemException('key-already-revoked', e.message);
    throw new ProblemException('invalid-key-request', e.message, { errors: [{ path: '', message: e.message }] });
  }
}
