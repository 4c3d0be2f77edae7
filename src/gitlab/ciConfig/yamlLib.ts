import { createRequire } from 'node:module';

export type YamlLib = typeof import('./yaml.js');

let lib: YamlLib | undefined;

/**
 * The YAML parser (about 115 KB minified), required at its first use from beside this file: compiled,
 * out/src/gitlab/ciConfig/yaml.js; bundled, dist/yaml.js, which the build keeps out of the other bundles.
 */
export function yaml(): YamlLib {
  return (lib ??= createRequire(__filename)('./yaml.js') as YamlLib);
}
