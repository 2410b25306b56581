#!/usr/bin/env node
// Entry point: checks the Node version, lets tsx load the TypeScript sources as they are, and runs the CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`nsconform: needs Node.js 20.19 or newer; this is ${process.version}\n`);
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
