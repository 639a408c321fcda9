import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type VerdictConfig } from '@verdict/config';
import { commandArgs, interpolate, loadCompose, serviceEnv, type ComposeService } from './compose-file';
import { copyArgs, execForm, parseDockerfile, type Stage } from './dockerfile-parser';

const root = path.resolve(__dirname, '../..');
const compose = loadCompose(path.join(root, 'docker-compose.yml'));
const stages = parseDockerfile(path.join(root, 'Dockerfile'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};
const stage = (name: string): Stage => {
  const s = stages.find((st) => st.name === name);
  if (!s) throw new Error(`Dockerfile has no stage "${name}"`);
  return s;
};
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const copies = (s: Stage) => s.instructions.filter((i) => i.keyword === 'COPY').map(copyArgs);

/** ENV of a stage, `ENV A=1 B=2` form. */
function stageEnv(s: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of s.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const pair of i.args.split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** loadConfig() on this env, recording which variables it reads: a variable it never reads has no effect. */
function configFrom(env: Record<string, string>): { config: VerdictConfig; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return target[key as string];
    },
  });
  return { config: loadConfig(proxy), read };
}

/** What the app process sees: the runtime image's ENV overlaid by the service's environment. */
const processEnv = (name: string) => ({ ...stageEnv(stage('runtime')), ...serviceEnv(service(name)) });

function isIgnored(source: string): boolean {
  const s = source.replace(/^\.\//, '').replace(/\/$/, '');
  return ignored.some((p) => {
    const pat = p.replace(/^\//, '').replace(/\/$/, '');
    if (pat.startsWith('*.')) return s.endsWith(pat.slice(1));
    return s === pat || s.startsWith(`${pat}/`);
  });
}

describe('docker-compose.yml', () => {
  it('has the event store, the database, the engine and the projector', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['engine', 'eventstore', 'postgres', 'projector']);
  });

  it('runs EventStoreDB as an insecure single node without server-side projections', () => {
    const es = service('eventstore');
    expect(es.image).toMatch(/^(eventstore\/eventstore|docker\.kurrent\.io\/.+\/kurrentdb|docker\.eventstore\.com\/.+):/);
    const env = serviceEnv(es);
    expect(env.EVENTSTORE_INSECURE).toBe('true');
    expect(env.EVENTSTORE_RUN_PROJECTIONS).toBe('None');
    expect(env.EVENTSTORE_CLUSTER_SIZE ?? '1').toBe('1');
  });

  it('runs PostgreSQL 16', () => {
    expect(service('postgres').image).toMatch(/^postgres:16([.-]|$)/);
  });

  it.each(['eventstore', 'postgres', 'engine', 'projector'])('%s has a healthcheck', (name) => {
    const hc = service(name).healthcheck;
    expect(hc).toBeDefined();
    const test = commandArgs(hc!.test);
    expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
    expect(test.length).toBeGreaterThan(1);
  });

  it('checks the engine on its readiness endpoint and port', () => {
    const env = processEnv('engine');
    const test = commandArgs(service('engine').healthcheck!.test).join(' ');
    expect(test).toContain(`:${env.PORT}/health/ready`);
    expect(service('engine').ports?.map((p) => interpolate(p))).toContain(`3000:${env.PORT}`);
  });

  it('checks the projector on its readiness endpoint and port', () => {
    const env = processEnv('projector');
    const test = commandArgs(service('projector').healthcheck!.test).join(' ');
    expect(test).toContain(`:${env.VERDICT_PROJECTOR_PORT}/health/ready`);
    expect(loadConfig(env).projections.projectorPort).toBe(Number(env.VERDICT_PROJECTOR_PORT));
    expect(env.HOST).toBe('0.0.0.0');
  });

  it.each(['engine', 'projector'])('%s waits for healthy stores, and every service it waits for has a healthcheck', (name) => {
    const deps = service(name).depends_on;
    expect(deps).toBeDefined();
    expect(Array.isArray(deps)).toBe(false);
    const map = deps as Record<string, { condition?: string }>;
    expect(Object.keys(map)).toEqual(expect.arrayContaining(['eventstore', 'postgres']));
    for (const [dep, { condition }] of Object.entries(map)) {
      expect(condition).toBe('service_healthy');
      expect(service(dep).healthcheck).toBeDefined();
    }
  });

  it.each(['engine', 'projector'])('%s points at the eventstore service on the port it serves, with TLS as it runs', (name) => {
    const env = processEnv(name);
    expect(env.VERDICT_EVENT_STORE).toBe('esdb');
    const url = new URL(env.VERDICT_EVENT_STORE_URL);
    expect(url.protocol).toBe('esdb:');
    expect(url.hostname).toBe('eventstore');
    const es = serviceEnv(service('eventstore'));
    expect(url.port).toBe(es.EVENTSTORE_NODE_PORT ?? es.EVENTSTORE_HTTP_PORT ?? '2113');
    expect(url.searchParams.get('tls')).toBe(es.EVENTSTORE_INSECURE === 'true' ? 'false' : 'true');
  });

  it.each(['engine', 'projector'])('%s points at the postgres service with its user, password and database', (name) => {
    const env = processEnv(name);
    expect(env.VERDICT_READ_MODELS).toBe('postgres');
    const url = new URL(env.VERDICT_READ_MODELS_URL);
    const pg = serviceEnv(service('postgres'));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    expect(url.port || '5432').toBe(pg.PGPORT ?? '5432');
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(pg.POSTGRES_DB ?? pg.POSTGRES_USER);
  });

  it.each(['engine', 'projector'])('%s gets only variables loadConfig() reads, and loadConfig() accepts them', (name) => {
    const env = processEnv(name);
    const { config, read } = configFrom(env);
    expect(Object.keys(env).filter((k) => !read.has(k))).toEqual([]);
    expect(config.eventStore).toMatchObject({ kind: 'esdb', url: 'esdb://eventstore:2113?tls=false' });
    expect(config.readModels.kind).toBe('postgres');
    expect(config.host).toBe('0.0.0.0');
  });

  it('keeps projections out of the engine: the projector builds them', () => {
    expect(configFrom(processEnv('engine')).config.projections.inline).toBe(false);
  });

  it('starts engine and projector from one image with the package.json start commands', () => {
    const engine = service('engine');
    const projector = service('projector');
    expect(projector.image).toBe(engine.image);
    expect(projector.build ?? engine.build).toEqual(engine.build);
    const cmd = execForm(stage('runtime').instructions.filter((i) => i.keyword === 'CMD').at(-1)!);
    expect(commandArgs(engine.command ?? cmd).join(' ')).toBe(pkg.scripts.start);
    expect(cmd.join(' ')).toBe(pkg.scripts.start);
    expect(commandArgs(projector.command).join(' ')).toBe(pkg.scripts['start:projector']);
  });

  it('starts compiled entry points whose sources exist', () => {
    for (const script of [pkg.scripts.start, pkg.scripts['start:projector']]) {
      const js = script.split(' ')[1];
      expect(js).toMatch(/^dist\/.+\.js$/);
      const source = path.join(root, js.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
      expect(existsSync(source)).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  it('builds on the Node 24 LTS image in a build and a runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const s of stages) expect(s.from).toBe('node:24-bookworm-slim');
    const engines = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/>=\s*24|\^24/);
  });

  it('installs no compiler: the native modules ship Node-API binaries', () => {
    for (const s of ['build', 'runtime']) expect(runs(stage(s)).some((r) => r.includes('apt-get install'))).toBe(false);
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
    };
    const runtimeInstallScripts = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && p.hasInstallScript && !p.dev)
      .map(([name]) => name.replace(/^.*node_modules\//, ''));
    // onnxruntime-node's script only downloads optional GPU libraries (skipped by ONNXRUNTIME_NODE_INSTALL=skip);
    // protobufjs' only prints a version notice. Neither compiles.
    expect([...new Set(runtimeInstallScripts)].sort()).toEqual(['onnxruntime-node', 'protobufjs']);
  });

  it('skips the optional onnxruntime GPU download', () => {
    const npmrc = readFileSync(path.join(root, '.npmrc'), 'utf8');
    const skipped = stageEnv(stage('build')).ONNXRUNTIME_NODE_INSTALL === 'skip' || /onnxruntime-node-install\s*=\s*skip/.test(npmrc);
    expect(skipped).toBe(true);
  });

  it('installs from the lockfile, builds with the package.json script, then prunes dev dependencies', () => {
    const text = runs(stage('build')).join(' && ');
    const ci = text.indexOf('npm ci');
    const build = text.indexOf('npm run build');
    const prune = text.indexOf('npm prune --omit=dev');
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(build);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
  });

  it('copies into the build everything the build compiles', () => {
    const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[]; extends: string };
    const copied = copies(stage('build')).flatMap((c) => c.sources);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.build.json', path.basename(buildConfig.extends)]) {
      expect(copied).toContain(file);
    }
    const dirs = new Set(buildConfig.include.map((p) => p.split('/')[0]));
    for (const dir of dirs) expect(copied).toContain(dir);
  });

  it('copies only sources that exist and that .dockerignore lets through', () => {
    for (const s of stages) {
      for (const c of copies(s).filter((x) => x.from === undefined)) {
        for (const src of c.sources) {
          expect({ src, exists: existsSync(path.join(root, src)), ignored: isIgnored(src) }).toEqual({ src, exists: true, ignored: false });
        }
      }
    }
    for (const never of ['node_modules', 'dist', '.git', 'data']) expect(isIgnored(never)).toBe(true);
  });

  it('ships compiled code, production modules, the model and migrations, and runs as a non-root user', () => {
    const runtime = stage('runtime');
    const fromBuild = copies(runtime).filter((c) => c.from === 'build').flatMap((c) => c.sources);
    expect(fromBuild).toEqual(expect.arrayContaining(['/app/dist', '/app/node_modules']));
    // Migrations are TypeScript compiled into dist/migrations, which libs/read-models imports.
    const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(buildConfig.include).toContain('migrations/**/*.ts');
    expect(copies(runtime).some((c) => c.from === undefined && c.sources.includes('models'))).toBe(true);
    expect(existsSync(path.join(root, 'models/fraud-demo/2.0.0/model.onnx'))).toBe(true);
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(runtime.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args).toBe('/app');
  });
});
