import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { Roles } from '../access/route-roles';
import { ProblemException } from '../http/problem.exception';
import { validBody } from '../http/validate-body';
import { SubjectErasure, type ErasureResult } from './subject-erasure';

export const erasureRequestSchema = z.object({ reason: z.string().min(1).max(1024).optional() }).strict();

/** Erasure of a data subject's personal data (admin only): docs/security.md, "Erasure". */
@Controller('v1/subjects')
export class ErasureController {
  constructor(private readonly erasure: SubjectErasure) {}

  @Roles('admin')
  @Post(':subjectId/erasure')
  @HttpCode(200)
  async erase(@Param('subjectId') subjectId: string, @Body() body: unknown): Promise<ErasureResult> {
    if (subjectId.length < 1 || subjectId.length > 128) {
      throw new ProblemException('validation-failed', 'The subject id must be 1 to 128 characters.', { errors: [{ path: '/subjectId', message: 'must be 1 to 128 characters' }] });
    }
    const { reason } = validBody(erasureRequestSchema, body ?? {});
    return this.erasure.erase(subjectId, reason ?? null);
  }
}
