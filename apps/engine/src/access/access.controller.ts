import { Controller, Get, Query } from '@nestjs/common';
import { isInstantParam } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import { AccessLog } from './access-log';
import { Roles } from './route-roles';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CURSOR = /^(\d{4}-\d{2}-\d{2}):(\d{1,12})$/;
const MAX_DAYS = 366;

function invalid(path: string, message: string): never {
  throw new ProblemException('invalid-query', `${path.slice(1)} ${message}`, { errors: [{ path, message }] });
}

/** The access log for auditors: who read which decision data, by UTC day (default today), oldest first. */
@Controller('v1/audit/access')
export class AccessController {
  constructor(private readonly log: AccessLog) {}

  @Roles('audit')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<unknown> {
    const known = new Set(['from', 'to', 'client', 'cursor', 'limit']);
    for (const key of Object.keys(query)) if (!known.has(key)) invalid(`/${key}`, 'is not a parameter of this query (from, to, client, cursor, limit)');
    const today = new Date().toISOString().slice(0, 10);
    const day = (name: string, fallback: string): string => {
      const v = query[name];
      if (v === undefined) return fallback;
      if (typeof v !== 'string' || !DAY.test(v) || !isInstantParam(v)) invalid(`/${name}`, 'must be a UTC day, YYYY-MM-DD');
      return v;
    };
    const to = day('to', today);
    const from = day('from', to);
    if (from > to) invalid('/from', 'must not be after to');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS) invalid('/from', `the range is at most ${MAX_DAYS} days`);
    const limitRaw = query.limit ?? '100';
    const limit = typeof limitRaw === 'string' && /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : NaN;
    if (!(limit >= 1 && limit <= 1000)) invalid('/limit', 'must be a whole number in [1, 1000]');
    let cursor: { day: string; revision: number } | undefined;
    if (query.cursor !== undefined) {
      const m = typeof query.cursor === 'string' ? CURSOR.exec(query.cursor) : null;
      if (!m || m[1]! < from || m[1]! > to) invalid('/cursor', 'is not a cursor of this range');
      cursor = { day: m[1]!, revision: Number(m[2]) };
    }
    const client = query.client;
    if (client !== undefined && (typeof client !== 'string' || client.length === 0 || client.length > 128)) invalid('/client', 'must be a client id');
    return this.log.read({ fromDay: from, toDay: to, client: client as string | undefined, cursor, limit });
  }
}
