import { Controller, Get, Header, Param } from '@nestjs/common';
import { ProblemException } from './problem.exception';
import { PROBLEM_TYPES, type ProblemCode } from './problem-types';
import { Public } from '../access/route-roles';

/** Makes each problem `type` URI dereferenceable: GET /problems/{code} describes it. */
@Controller('problems')
export class ProblemTypesController {
  @Public()
  @Get()
  list() {
    return Object.entries(PROBLEM_TYPES).map(([code, t]) => ({ type: `/problems/${code}`, status: t.status, title: t.title }));
  }

  @Public()
  @Get(':code')
  @Header('content-type', 'application/json; charset=utf-8')
  describe(@Param('code') code: string) {
    if (!Object.hasOwn(PROBLEM_TYPES, code)) throw new ProblemException('not-found', `No problem type "${code}".`);
    const t = PROBLEM_TYPES[code as ProblemCode];
    return { type: `/problems/${code}`, status: t.status, title: t.title, description: t.description };
  }
}
