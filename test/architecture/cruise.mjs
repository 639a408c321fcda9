// Runs dependency-cruiser's cruise API in a plain Node process (it is ESM-only; Jest runs CommonJS) and prints the
// result as JSON. Usage, from the folder the paths are relative to:
//   node cruise.mjs <dependency-cruiser config> <tsconfig> <folder>...
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const [configFile, tsConfigFile, ...folders] = process.argv.slice(2);
const options = await extractDepcruiseOptions(resolve(configFile));
const result = await cruise(
  folders,
  { ...options, validate: true, outputType: 'json', tsConfig: { fileName: tsConfigFile } },
  {},
  { tsConfig: extractTSConfig(tsConfigFile) },
);
process.stdout.write(typeof result.output === 'string' ? result.output : JSON.stringify(result.output));
