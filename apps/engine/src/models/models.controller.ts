import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isModelId } from '@verdict/domain';
import { getVerified, type ArtifactStore } from '@verdict/artifact-store';
import type { VerdictConfig } from '@verdict/config';
import { actorOf } from '../http/actor';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { DeploymentFollower } from '../deployment/deployment-follower';
import { ARTIFACT_STORE, MODEL_LIST, VERDICT_CONFIG } from '../infrastructure/tokens';
import { ModelCatalog } from './model-catalog';
import type { ModelListQueriesPort } from './model-list.port';
import { ModelRegistration } from './model-registration';
import { ModelRetirement } from './model-retirement';
import { readModelUpload } from './model-upload';
import { deployedAs, registrationView, versionView } from './model-views';
import { Roles } from '../access/route-roles';

const retireBody = z.object({ reason: z.string().trim().min(1, 'is required: say why').max(2000) }).strict();
const artifactQuery = z.object({ served: z.enum(['true', 'false']).optional() }).strict();

function checkIds(name: string, version?: string): void {
  const errors = [
    ...(isModelId(name) ? [] : [{ path: '/name', message: 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-"' }]),
    ...(version === undefined || isModelId(version) ? [] : [{ path: '/version', message: 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-"' }]),
  ];
  if (errors.length > 0) throw new ProblemException('invalid-model-id', 'The model name or version in the path is invalid.', { errors });
}

/** The model registry: register (multipart), list, show, fetch the exact bytes, retire. */
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly registration: ModelRegistration,
    private readonly retirement: ModelRetirement,
    private readonly catalog: ModelCatalog,
    private readonly follower: DeploymentFollower,
    @Inject(MODEL_LIST) private readonly list: ModelListQueriesPort,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
  ) {}

  /** 201 for a new version; 200 with the same body for the same bytes and manifest again; 409 for other content. */
  @Roles('operate')
  @Post(':name/versions/:version')
  async register(@Param('name') name: string, @Param('version') version: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    checkIds(name, version);
    const upload = await readModelUpload(req, this.config.models.maxBytes);
    const result = await this.registration.register(name, version, upload.bytes, upload.manifest, actorOf(req));
    void reply
      .status(result.created ? 201 : 200)
      .header('location', `/v1/models/${name}/versions/${version}`)
      .send(registrationView(result.registered));
  }

  @Roles('operate', 'analyze', 'audit')
  @Get()
  async all(): Promise<unknown> {
    const { items } = await this.list.list();
    const state = this.follower.latest();
    return {
      items: items.map((m) => ({ ...m, versions: m.versions.map((v) => ({ ...v, deployedAs: deployedAs(state, m.name, v.version) })) })),
    };
  }

  @Roles('operate', 'analyze', 'audit')
  @Get(':name')
  async model(@Param('name') name: string): Promise<unknown> {
    checkIds(name);
    const history = await this.catalog.history(name);
    const versions = history.all();
    if (versions.length === 0) throw new ProblemException('model-not-found', `No version of model "${name}" has been registered.`);
    const state = this.follower.latest();
    return { name, versions: versions.map((v) => versionView(v, state)) };
  }

  @Roles('operate', 'analyze', 'audit')
  @Get(':name/versions/:version')
  async version(@Param('name') name: string, @Param('version') version: string): Promise<unknown> {
    checkIds(name, version);
    const found = (await this.catalog.history(name)).version(version);
    if (!found) throw new ProblemException('model-version-not-found', `Model ${name} has no version "${version}".`);
    return versionView(found, this.follower.latest());
  }

  /** The exact bytes as uploaded (or, with ?served=true, as served after a rewrite), re-hashed before they are sent. */
  @Roles('operate', 'audit')
  @Get(':name/versions/:version/artifact')
  async artifact(@Param('name') name: string, @Param('version') version: string, @Query() raw: unknown, @Res() reply: FastifyReply): Promise<void> {
    checkIds(name, version);
    const served = validBody(artifactQuery, raw ?? {}).served === 'true';
    const found = (await this.catalog.history(name)).version(version);
    if (!found) throw new ProblemException('model-version-not-found', `Model ${name} has no version "${version}".`);
    const sha256 = served ? found.registered.servedSha256 : found.registered.sha256;
    const bytes = await getVerified(this.artifacts, sha256);
    void reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${name}-${version}${served ? '-served' : ''}.onnx"`)
      .header('x-model-sha256', sha256)
      .header('repr-digest', `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  @Roles('operate')
  @Post(':name/versions/:version/retire')
  @HttpCode(200)
  async retire(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown, @Req() req: FastifyRequest): Promise<unknown> {
    checkIds(name, version);
    const { reason } = validBody(retireBody, body);
    const retired = await this.retirement.retire(name, version, reason, actorOf(req));
    return versionView(retired, this.follower.latest());
  }
}
