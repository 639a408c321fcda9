// Lets a plain `node` child process load the repo's TypeScript directly (for crash / multi-process tests):
//   spawn(process.execPath, ['-r', require.resolve('<repo>/test/support/ts-register.js'), 'path/to/child.ts', ...args])
// Each .ts file is transpiled on require with TypeScript's transpileModule (no type check, like ts-jest with
// isolatedModules) using tsconfig.json's compiler options, and @verdict/<lib>[/sub] resolves to libs/<lib>/src[/sub].
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
const configFile = path.join(root, 'tsconfig.json');
const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root, configFile);
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: true };

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveVerdictAlias(request, parent, isMain, resolveOptions) {
  const alias = /^@verdict\/([^/]+)(\/.*)?$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return originalResolve.call(this, target, parent, isMain, resolveOptions);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
