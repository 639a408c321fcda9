import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { INSTANT_PARAM_RULE, isInstantParam, type ReplayReport } from '@verdict/domain';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { table } from './output';

interface ReplayView {
  replayId: string;
  status: 'running' | 'completed' | 'failed';
  progress: { done: number; total: number | null };
  reportSha256?: string;
  durationMs?: number;
  report?: ReplayReport;
  error?: string;
}

interface ReplayFlags {
  from?: string;
  to?: string;
  fromPosition?: string;
  toPosition?: string;
  model?: string;
  outcome?: string;
  card?: string;
  mode: string;
}

const POLL_MS = 250;
/** Without a terminal: one progress line this often, so a CI log shows the replay is alive. */
const LINE_EVERY_MS = 5_000;

const instant = (name: string) => (raw: string): string => {
  if (!isInstantParam(raw)) throw new InvalidArgumentError(`${name} ${INSTANT_PARAM_RULE}`);
  return raw;
};

function summary(view: ReplayView): string {
  const r = view.report!;
  const c = r.counts;
  const lines = [
    `replay ${view.replayId}: ${c.decisions} decisions in ${((view.durationMs ?? 0) / 1000).toFixed(1)} s`,
    `  identical ${c.identical}, mismatched ${c.mismatched}, model missing ${c.modelMissing}, model altered ${c.modelAltered}` +
      (r.selection.mode === 'recompute-features' ? `, feature drift ${c.featureDrift}` : ''),
    `  report sha256 ${view.reportSha256}`,
  ];
  if (r.models.length > 0) lines.push(table(['MODEL', 'SHA256', 'DECISIONS', 'STATUS'], r.models.map((m) => [`${m.name}@${m.version}`, m.sha256.slice(0, 16), String(m.decisions), m.status])));
  if (r.mismatches.length > 0) {
    lines.push(`first ${r.mismatches.length} mismatched field(s):`);
    lines.push(table(['POSITION', 'DECISION', 'FIELD', 'RECORDED', 'REPLAYED'], r.mismatches.map((m) => [m.position, m.decisionId, m.field, JSON.stringify(m.recorded), JSON.stringify(m.replayed)])));
  }
  const drift = Object.entries(r.featureDrift.byFeature);
  if (drift.length > 0) lines.push(`feature drift: ${drift.map(([f, n]) => `${f} (${n})`).join(', ')}`);
  return lines.join('\n');
}

/** Follows a replay to its end: a bar on a terminal, a line every few seconds otherwise. */
async function follow(client: ApiClient, replayId: string, io: CliIo): Promise<ReplayView> {
  const bar = io.stderrIsTty ? new SingleBar({ stream: io.stderr, format: 'replay |{bar}| {value}/{total} decisions | eta {eta_formatted}', hideCursor: true }) : null;
  let started = false;
  let lastLine = 0;
  try {
    for (;;) {
      const { body: view } = await client.get<ReplayView>(`/v1/replays/${replayId}`);
      const total = Math.max(view.progress.total ?? 0, view.progress.done);
      if (bar) {
        if (!started) bar.start(total, view.progress.done);
        else bar.setTotal(total);
        bar.update(view.progress.done);
        started = true;
      } else if (Date.now() - lastLine >= LINE_EVERY_MS || view.status !== 'running') {
        lastLine = Date.now();
        io.stderr.write(`replay ${replayId}: ${view.status}, ${view.progress.done}/${view.progress.total ?? '?'} decisions\n`);
      }
      if (view.status !== 'running') return view;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    bar?.stop();
  }
}

/**
 * `verdict replay`: asks the engine to replay a period (POST /v1/replays), follows it, prints the report. Exit code 0
 * only when every selected decision came out identical (and, with --mode recompute-features, without feature drift);
 * 3 on any finding, 1 when the replay itself failed.
 */
export function replayCommand(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean, setExitCode: (code: number) => void): void {
  program
    .command('replay')
    .description('replay recorded decisions bit for bit on the exact model bytes that made them')
    .option('--from <instant>', 'decided at or after (ISO 8601)', instant('--from'))
    .option('--to <instant>', 'decided before (ISO 8601)', instant('--to'))
    .option('--from-position <n>', 'first global position')
    .option('--to-position <n>', 'last global position')
    .option('--model <sha256>', "only decisions made by the model with these bytes' sha256")
    .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(['approve', 'review', 'decline']))
    .option('--card <cardId>', 'only this card')
    .addOption(new Option('--mode <mode>', 'recorded: the recorded feature rows; recompute-features: also rebuild them with today\'s code').choices(['recorded', 'recompute-features']).default('recorded'))
    .action(async (flags: ReplayFlags) => {
      const filter = { ...(flags.model ? { modelSha256: flags.model } : {}), ...(flags.outcome ? { outcome: flags.outcome } : {}), ...(flags.card ? { cardId: flags.card } : {}) };
      const body = {
        ...(flags.from ? { from: flags.from } : {}),
        ...(flags.to ? { to: flags.to } : {}),
        ...(flags.fromPosition ? { fromPosition: flags.fromPosition } : {}),
        ...(flags.toPosition ? { toPosition: flags.toPosition } : {}),
        ...(Object.keys(filter).length > 0 ? { filter } : {}),
        mode: flags.mode,
      };
      const { body: accepted } = await client().json<{ replayId: string }>('POST', '/v1/replays', body);
      const view = await follow(client(), accepted.replayId, io);
      if (view.status === 'failed') throw new Error(`replay ${view.replayId} failed: ${view.error}`);
      io.stdout.write(json() ? `${JSON.stringify(view, null, 2)}\n` : `${summary(view)}\n`);
      const c = view.report!.counts;
      if (c.identical !== c.decisions || c.featureDrift > 0) setExitCode(3);
    });
}
