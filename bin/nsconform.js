#!/usr/bin/env node
// Entry point: checks the Node version, then runs the CLI from its esbuild bundle (rebuilt when a source is newer) or, failing that, through tsx.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`nsconform: needs Node.js 20.19 or newer; this is ${process.version}\n`);
  process.exit(2);
}
// Ctrl-C, SIGTERM, SIGHUP before a run has started (or in list, env, vm): exit at once. A run replaces
// these with its own (harness/run/interrupt.ts): it stops, cleans up and writes what ran.
/** @type {Array<[NodeJS.Signals, number]>} */
const INTERRUPTS = [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
];
for (const [signal, number] of INTERRUPTS) {
  process.once(signal, () => {
    process.stderr.write(`nsconform: interrupted by ${signal}; no reports written\n`);
    process.exit(128 + number);
  });
}
const { freshRunner } = await import('./runner-bundle.js');
const bundle = await freshRunner(new URL('..', import.meta.url).pathname);
if (bundle) {
  // The bundle runs the CLI with this process's arguments when imported.
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../harness/cli/main.ts');
  // The CLI is handed the suites (harness/ never imports suites/); only list and run load them.
  const loadRegistry = async () => (await import('../suites/registry.ts')).loadSuites();
  process.exitCode = await main(process.argv.slice(2), loadRegistry);
}
