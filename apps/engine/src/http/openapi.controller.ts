import { Controller, Get } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@verdict/config';
import { openApiDocument } from './openapi.document';
import { RouteAccessCatalog } from '../access/route-access-catalog';
import { Public } from '../access/route-roles';
import { withAccess } from './openapi-access';

// repoRoot() finds package.json both from the sources and from dist/.
const VERSION = (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;

@Controller()
export class OpenApiController {
  private document: Record<string, unknown> | undefined;

  constructor(private readonly routes: RouteAccessCatalog) {}

  @Public()
  @Get('openapi.json')
  get() {
    // Built on first use: every route is registered by then, with the access it declares.
    this.document ??= withAccess(openApiDocument(VERSION), this.routes);
    return this.document;
  }
}
