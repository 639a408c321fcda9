import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from './openapi.document';

const VERSION: string = (require('../../../../package.json') as { version: string }).version;

@Controller()
export class OpenApiController {
  private readonly document = openApiDocument(VERSION);

  @Get('openapi.json')
  get() {
    return this.document;
  }
}
