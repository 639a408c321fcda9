import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { modelRef, print, table } from './output';

interface Policy {
  version: string;
  reviewThreshold: number;
  declineThreshold: number;
}
interface DeploymentView {
  revision: number;
  champion: { name: string; version: string; sha256: string } | null;
  standby: { model: { name: string; version: string }; policy: Policy } | null;
  challenger: { model: { name: string; version: string }; mode: string; trafficPercent: number; routingKey: string; policy: Policy; analysis: unknown; since: string } | null;
  policy: Policy | null;
  since: string | null;
  at?: string;
  events?: { revision: number; type: string; at: string; actor: string; reason: string }[];
}

const number = (name: string) => (raw: string): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`);
  return n;
};
const policyText = (p: Policy | null | undefined): string => (p ? `${p.version} (review ≥ ${p.reviewThreshold}, decline ≥ ${p.declineThreshold})` : '-');

function describeDeployment(d: DeploymentView): string {
  const c = d.challenger;
  return [
    `revision    ${d.revision}${d.at ? ` (as of ${d.at})` : ''}${d.since ? `, since ${d.since}` : ''}`,
    `champion    ${modelRef(d.champion)}  policy ${policyText(d.policy)}`,
    `standby     ${d.standby ? `${modelRef(d.standby.model)}  policy ${policyText(d.standby.policy)}` : '-'}`,
    `challenger  ${c ? `${modelRef(c.model)} ${c.mode} ${c.trafficPercent}% by ${c.routingKey}, policy ${policyText(c.policy)}${c.analysis ? ', with analysis' : ''}` : '-'}`,
    ...(d.events && d.events.length > 0
      ? ['made so by', ...d.events.map((e) => `  #${e.revision} ${e.at} ${e.type} by ${e.actor}: ${e.reason}`)]
      : []),
  ].join('\n');
}

interface ChangeFlags {
  reason: string;
  ifMatch?: number;
}
const withChange = (cmd: Command): Command =>
  cmd
    .requiredOption('--reason <text>', 'why (recorded in the event)')
    .option('--if-match <revision>', 'only if the deployment is still at this revision (else 412)', number('--if-match'));

const policyOptions = (cmd: Command): Command =>
  cmd
    .option('--policy-version <version>', 'policy version (bound to its thresholds forever)')
    .option('--review <threshold>', 'review threshold', number('--review'))
    .option('--decline <threshold>', 'decline threshold', number('--decline'));

function policyFrom(flags: { policyVersion?: string; review?: number; decline?: number }): Policy | undefined {
  const given = [flags.policyVersion, flags.review, flags.decline].filter((x) => x !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) throw new InvalidArgumentError('--policy-version, --review and --decline go together');
  return { version: flags.policyVersion!, reviewThreshold: flags.review!, declineThreshold: flags.decline! };
}

/** `verdict deploy status|champion|canary|shadow|traffic|promote|rollback|policy|history`. */
export function deployCommands(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean): void {
  const deploy = program.command('deploy').description('the deployment: what decides, and changing it');
  const change = async (method: 'PUT' | 'PATCH' | 'POST', path: string, body: Record<string, unknown>, flags: ChangeFlags): Promise<void> => {
    const headers: Record<string, string> = flags.ifMatch === undefined ? {} : { 'if-match': `"${flags.ifMatch}"` };
    const res = await client().json<DeploymentView>(method, `/v1/deployment${path}`, { ...body, reason: flags.reason }, headers);
    print(io, json(), res.body, describeDeployment);
  };

  deploy
    .command('status')
    .description('what decides now, or at an earlier instant (--at)')
    .option('--at <time>', 'ISO-8601 instant: the deployment as it was then, and the events that made it so')
    .action(async (flags: { at?: string }) => {
      const res = await client().get<DeploymentView>(`/v1/deployment${flags.at ? `?at=${encodeURIComponent(flags.at)}` : ''}`);
      print(io, json(), res.body, describeDeployment);
    });

  policyOptions(withChange(deploy.command('champion <model> <version>').description('blue-green: switch the champion now (the previous one stays loaded as standby)'))).action(
    (model: string, version: string, flags: ChangeFlags & { policyVersion?: string; review?: number; decline?: number }) =>
      change('PUT', '/champion', { model, version, policy: policyFrom(flags) }, flags),
  );

  const challengerCommand = (mode: 'canary' | 'shadow', description: string): Command =>
    policyOptions(withChange(deploy.command(`${mode} <model> <version>`).description(description)))
      .option('--percent <p>', mode === 'canary' ? 'share of traffic the challenger decides' : 'share of requests it also scores (default 100)', number('--percent'))
      .addOption(new Option('--routing-key <key>', 'what keeps a caller on the same arm').choices(['cardId', 'customerId', 'merchantId', 'transactionId']))
      .option('--analysis <file>', 'canary analysis JSON: intervalSeconds, threshold, stepPercent, maxPercent, autoPromote, metrics')
      .action(async (model: string, version: string, flags: ChangeFlags & { percent?: number; routingKey?: string; analysis?: string; policyVersion?: string; review?: number; decline?: number }) => {
        const analysis = flags.analysis ? (JSON.parse(await readFile(flags.analysis, 'utf8')) as unknown) : undefined;
        await change('PUT', '/challenger', { model, version, mode, trafficPercent: flags.percent, routingKey: flags.routingKey, policy: policyFrom(flags), analysis }, flags);
      });
  challengerCommand('canary', 'deploy a canary challenger: it decides for a sticky share of traffic');
  challengerCommand('shadow', 'deploy a shadow challenger: it scores the same requests beside the champion, never deciding');

  withChange(deploy.command('traffic <percent>').description("change the challenger's share of traffic")).action((percent: string, flags: ChangeFlags) =>
    change('PATCH', '/challenger', { trafficPercent: number('percent')(percent) }, flags),
  );
  withChange(deploy.command('promote').description('make the challenger the champion')).action((flags: ChangeFlags) => change('POST', '/challenger/promote', {}, flags));
  withChange(deploy.command('rollback').description('roll back the challenger, or with --champion the champion to its standby'))
    .option('--champion', 'roll the champion back to the standby instead of removing the challenger', false)
    .action((flags: ChangeFlags & { champion: boolean }) => change('POST', flags.champion ? '/rollback' : '/challenger/rollback', {}, flags));

  withChange(deploy.command('policy <target> <version>').description('bind a policy version to thresholds for the champion or the challenger'))
    .requiredOption('--review <threshold>', 'review threshold', number('--review'))
    .requiredOption('--decline <threshold>', 'decline threshold', number('--decline'))
    .action((target: string, version: string, flags: ChangeFlags & { review: number; decline: number }) =>
      change('PUT', '/policy', { target, version, reviewThreshold: flags.review, declineThreshold: flags.decline }, flags),
    );

  deploy
    .command('history')
    .description('every deployment change, newest first')
    .option('--limit <n>', 'changes per page', number('--limit'), 50)
    .option('--all', 'follow the cursor to the first change', false)
    .action(async (flags: { limit: number; all: boolean }) => {
      const items: { revision: number; type: string; at: string; actor: string; reason: string; automatic: boolean }[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=${flags.limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res: { body: { items: typeof items; nextCursor: string | null } } = await client().get(`/v1/deployment/history${query}`);
        items.push(...res.body.items);
        cursor = flags.all ? res.body.nextCursor : null;
      } while (cursor);
      print(io, json(), { items }, (b: { items: typeof items }) =>
        table(['REV', 'AT', 'CHANGE', 'BY', 'REASON'], b.items.map((e) => [String(e.revision), e.at, e.type + (e.automatic ? ' (auto)' : ''), e.actor, e.reason])),
      );
    });
}
