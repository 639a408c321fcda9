// Lets a plain `node` child process load the repo's TypeScript directly (for crash / multi-process tests):
//   spawn(process.execPath, ['-r', require.resolve('<repo>/test/support/ts-register.js'), 'path/to/child.ts', ...args])
// Each .ts file is transpiled on require with TypeScript's transpileModule (no type check, like ts-jest with
// isolatedModules) using tsconfig.json's compiler options, and @verdict/<lib>[/sub] resolves to libs/<lib>/src[/sub].
// Output is cached by content hash in node_modules/.cache, and the compiler is only loaded on a miss: every worker
// thread started from source runs this hook, and loading TypeScript costs ~0.5 s a thread.
// It names itself in VERDICT_TS_REGISTER, which production code reads to start its .ts worker threads with this hook
// (libs/config/src/worker-script.ts); worker threads and child processes inherit the variable.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

process.env.VERDICT_TS_REGISTER = __filename;

const root = path.resolve(__dirname, '..', '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'verdict-ts-register');
const tsconfigText = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
const tsVersion = require('typescript/package.json').version;

let compilerOptions;
function compile(source, filename) {
  const ts = require('typescript');
  if (compilerOptions === undefined) {
    const configFile = path.join(root, 'tsconfig.json');
    const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
    if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root, configFile);
    compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: true };
  }
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

function cachedCompile(source, filename) {
  const key = crypto.createHash('sha256').update(tsVersion).update('\0').update(tsconfigText).update('\0').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const output = compile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temp = `${file}.${process.pid}.${crypto.randomUUID()}`;
      fs.writeFileSync(temp, output);
      fs.renameSync(temp, file); // atomic: concurrent threads never read half a file
    } catch {
      // A read-only tree still works, just without the cache.
    }
    return output;
  }
}

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveVerdictAlias(request, parent, isMain, resolveOptions) {
  const alias = /^@verdict\/([^/]+)(\/.*)?$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return originalResolve.call(this, target, parent, isMain, resolveOptions);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(cachedCompile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
