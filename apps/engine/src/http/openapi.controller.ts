import { Controller, Get } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@verdict/config';
import { openApiDocument } from './openapi.document';
import { Public } from '../access/route-roles';

// repoRoot() finds package.json both from the sources and from dist/.
const VERSION = (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

@Controller()
export class OpenApiController {
  private readonly document = openApiDocument(VERSION);

  @Public()
  @Get('openapi.json')
  get() {
    return this.document;
  }
}
