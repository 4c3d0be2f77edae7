// The parts of the `yaml` package the CI-file features use. The build ships this module as dist/yaml.js
// beside the bundles, loaded by yamlLib.ts when a CI file is first parsed: activation never compiles it.
export { isMap, isNode, isPair, isScalar, LineCounter, parseAllDocuments, visit } from 'yaml';
