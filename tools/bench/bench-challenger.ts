import { readFile } from 'node:fs/promises';

/** A challenger the engine runs beside its champion during a bench: shadow (scores every request) or canary (decides P %). */
export type BenchChallenger = { readonly mode: 'shadow' } | { readonly mode: 'canary'; readonly trafficPercent: number };

export function parseChallenger(raw: string): BenchChallenger {
  if (raw === 'shadow') return { mode: 'shadow' };
  const m = /^canary:(\d{1,3}(?:\.\d{1,2})?)$/.exec(raw);
  if (m && Number(m[1]) <= 100) return { mode: 'canary', trafficPercent: Number(m[1]) };
  throw new Error(`--challenger takes "shadow" or "canary:<percent>", got "${raw}"`);
}

/**
 * Registers the champion's model bytes again as version "bench-challenger" (another session, the same work) and
 * deploys it as the challenger, through the engine's own API, before the load starts.
 */
export async function deployChallenger(baseUrl: string, modelPath: string, challenger: BenchChallenger, headers: Record<string, string> = {}): Promise<void> {
  const deployment = (await (await fetch(`${baseUrl}/v1/deployment`, { headers })).json()) as { champion: { name: string } };
  const form = new FormData();
  form.append('model', new Blob([await readFile(modelPath)]), 'model.onnx');
  form.append('manifest', JSON.stringify({ description: 'bench challenger: the champion bytes under another version' }));
  const name = deployment.champion.name;
  const registered = await fetch(`${baseUrl}/v1/models/${name}/versions/bench-challenger`, { method: 'POST', body: form, headers });
  if (registered.status !== 201 && registered.status !== 200) throw new Error(`registering the bench challenger: ${registered.status} ${await registered.text()}`);
  const body = { model: name, version: 'bench-challenger', ...challenger, reason: 'bench' };
  const res = await fetch(`${baseUrl}/v1/deployment/challenger`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`deploying the bench challenger: ${res.status} ${await res.text()}`);
}
