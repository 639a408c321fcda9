import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { print, table } from './output';

interface VersionView {
  name: string;
  version: string;
  sha256: string;
  servedSha256: string;
  sizeBytes: number;
  rewrites: string[];
  registeredAt: string;
  registeredBy: string;
  manifest: { features?: unknown[]; policy?: { version: string; reviewThreshold: number; declineThreshold: number }; description?: string };
  signature: { inputs: { name: string; elementType: string; shape: unknown[] }[]; outputs: { name: string; elementType: string; shape: unknown[] }[] };
  retired?: { at: string; reason: string; by: string } | null;
  deployedAs?: string[];
}

const describeVersion = (v: VersionView): string =>
  [
    `${v.name}@${v.version}${v.retired ? `  (retired ${v.retired.at}: ${v.retired.reason})` : ''}`,
    `  sha256        ${v.sha256}${v.servedSha256 !== v.sha256 ? `\n  served sha256 ${v.servedSha256} (${v.rewrites.join(', ')} rewrite)` : ''}`,
    `  size          ${v.sizeBytes} bytes`,
    `  registered    ${v.registeredAt} by ${v.registeredBy}`,
    `  features      ${v.manifest.features ? `${v.manifest.features.length} columns` : 'none (raw inference only)'}`,
    `  policy        ${v.manifest.policy ? `${v.manifest.policy.version} (review ≥ ${v.manifest.policy.reviewThreshold}, decline ≥ ${v.manifest.policy.declineThreshold})` : '-'}`,
    `  inputs        ${v.signature.inputs.map((i) => `${i.name} ${i.elementType} [${i.shape.join(', ')}]`).join('; ')}`,
    `  outputs       ${v.signature.outputs.map((o) => `${o.name} ${o.elementType} [${o.shape.join(', ')}]`).join('; ')}`,
    ...(v.deployedAs ? [`  deployed as   ${v.deployedAs.length > 0 ? v.deployedAs.join(', ') : '-'}`] : []),
    ...(v.manifest.description ? [`  description   ${v.manifest.description}`] : []),
  ].join('\n');

/** `verdict models register|list|show|retire`. */
export function modelsCommands(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean): void {
  const models = program.command('models').description('the model registry');

  models
    .command('register <name> <version> <model.onnx>')
    .description('register a model version (the .onnx bytes and an optional manifest)')
    .option('--manifest <file>', 'manifest JSON: features, scoreOutput, baseline, policy, description, metrics, trainingData')
    .action(async (name: string, version: string, file: string, flags: { manifest?: string }) => {
      const form = new FormData();
      form.append('model', new Blob([await readFile(file)]), path.basename(file));
      if (flags.manifest) form.append('manifest', new Blob([await readFile(flags.manifest)], { type: 'application/json' }), path.basename(flags.manifest));
      const res = await client().form<VersionView>(`/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, form);
      print(io, json(), res.body, (v: VersionView) => `${res.status === 201 ? 'registered' : 'already registered (same bytes and manifest)'}\n${describeVersion(v)}`);
    });

  models
    .command('list')
    .description('every model and its versions')
    .action(async () => {
      const res = await client().get<{ items: { name: string; versions: { version: string; sha256: string; registeredAt: string; retiredAt: string | null; decides: boolean; deployedAs: string[] }[] }[] }>('/v1/models');
      print(io, json(), res.body, (b: typeof res.body) =>
        b.items.length === 0
          ? 'no models registered'
          : table(
              ['MODEL', 'VERSION', 'SHA256', 'REGISTERED', 'DECIDES', 'DEPLOYED AS', 'RETIRED'],
              b.items.flatMap((m) => m.versions.map((v) => [m.name, v.version, v.sha256.slice(0, 12), v.registeredAt, v.decides ? 'yes' : 'raw only', v.deployedAs.join(',') || '-', v.retiredAt ?? '-'])),
            ),
      );
    });

  models
    .command('show <name> [version]')
    .description('a model (every version) or one version: metadata, manifest, signature, deployment')
    .action(async (name: string, version?: string) => {
      if (version) {
        const res = await client().get<VersionView>(`/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`);
        print(io, json(), res.body, describeVersion);
      } else {
        const res = await client().get<{ name: string; versions: VersionView[] }>(`/v1/models/${encodeURIComponent(name)}`);
        print(io, json(), res.body, (b: typeof res.body) => b.versions.map(describeVersion).join('\n\n'));
      }
    });

  models
    .command('retire <name> <version>')
    .description('retire a version: it can no longer be deployed (a deployed version is refused)')
    .requiredOption('--reason <text>', 'why (recorded in the event)')
    .action(async (name: string, version: string, flags: { reason: string }) => {
      const res = await client().json<VersionView>('POST', `/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/retire`, { reason: flags.reason });
      print(io, json(), res.body, (v: VersionView) => `retired\n${describeVersion(v)}`);
    });
}
