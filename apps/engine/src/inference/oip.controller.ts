import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@verdict/config';
import { isModelId } from '@verdict/domain';
import { Readiness } from '../health/readiness';
import { InferenceService } from './inference-service';
import { parseInferenceRequest } from './inference-request';
import { OipError } from './oip-errors';
import { Roles } from '../access/route-roles';

const DATATYPES: Record<string, string> = {
  float32: 'FP32', float64: 'FP64', int32: 'INT32', int64: 'INT64', bool: 'BOOL', string: 'BYTES',
  int8: 'INT8', uint8: 'UINT8', int16: 'INT16', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64', float16: 'FP16',
};
// From the repository root: the same whether this runs from source or from dist/.
const SERVER = { name: 'verdict', version: (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version, extensions: [] as string[] };

function ids(name: string, version?: string): void {
  if (!isModelId(name) || (version !== undefined && !isModelId(version))) throw new OipError(400, 'Model names and versions are 1–64 characters of A-Z, a-z, 0-9, ".", "_" and "-".');
}

/** Open Inference Protocol v2 (KServe / Triton / MLServer) over the model registry. Errors are `{ "error": … }`. */
@Controller('v2')
export class OipController {
  constructor(
    private readonly inference: InferenceService,
    private readonly readiness: Readiness,
  ) {}

  @Roles('decide', 'operate')
  @Get()
  server() {
    return SERVER;
  }

  @Roles('decide', 'operate')
  @Get('health/live')
  live() {
    return { live: true };
  }

  /** 200 when ready; the protocol answers "not ready" with a 4xx. */
  @Roles('decide', 'operate')
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ready = (await this.readiness.check()).status === 'ok';
    void reply.status(ready ? 200 : 400).send({ ready });
  }

  @Roles('decide', 'operate')
  @Get('models/:name')
  model(@Param('name') name: string) {
    return this.metadata(name, undefined);
  }

  @Roles('decide', 'operate')
  @Get('models/:name/versions/:version')
  modelVersion(@Param('name') name: string, @Param('version') version: string) {
    return this.metadata(name, version);
  }

  @Roles('decide', 'operate')
  @Get('models/:name/ready')
  modelReady(@Param('name') name: string, @Res() reply: FastifyReply) {
    return this.ready_(name, undefined, reply);
  }

  @Roles('decide', 'operate')
  @Get('models/:name/versions/:version/ready')
  modelVersionReady(@Param('name') name: string, @Param('version') version: string, @Res() reply: FastifyReply) {
    return this.ready_(name, version, reply);
  }

  @Roles('decide')
  @Post('models/:name/infer')
  infer(@Param('name') name: string, @Body() body: unknown, @Res() reply: FastifyReply) {
    return this.infer_(name, undefined, body, reply);
  }

  @Roles('decide')
  @Post('models/:name/versions/:version/infer')
  inferVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown, @Res() reply: FastifyReply) {
    return this.infer_(name, version, body, reply);
  }

  private async metadata(name: string, version: string | undefined) {
    ids(name, version);
    const target = await this.inference.resolve(name, version);
    const history = await this.inference.versions(name);
    const r = target.registered;
    const tensor = (t: { name: string; elementType: string; shape: readonly (number | string | null)[] }) => ({
      name: t.name,
      datatype: DATATYPES[t.elementType] ?? t.elementType.toUpperCase(),
      shape: t.shape.map((d) => (typeof d === 'number' ? d : -1)),
    });
    return {
      name,
      versions: history,
      platform: 'onnxruntime_onnx',
      ...(version === undefined ? {} : { version: r.version }),
      inputs: r.signature.inputs.map(tensor),
      outputs: r.signature.outputs.map(tensor),
    };
  }

  private async ready_(name: string, version: string | undefined, reply: FastifyReply): Promise<void> {
    ids(name, version);
    const target = await this.inference.resolve(name, version);
    const ready = target.retired === null;
    void reply.status(ready ? 200 : 400).send({ name, ...(version === undefined ? {} : { version }), ready });
  }

  private async infer_(name: string, version: string | undefined, body: unknown, reply: FastifyReply): Promise<void> {
    ids(name, version);
    const { answer, replayed } = await this.inference.infer(name, version, parseInferenceRequest(body));
    void reply.status(200).header('idempotent-replayed', replayed ? 'true' : 'false').send(answer);
  }
}
