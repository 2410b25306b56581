#!/usr/bin/env node
// Entry point: checks the Node version, lets tsx load the TypeScript sources as they are, and runs the CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`nsconform: needs Node.js 20.19 or newer; this is ${process.version}\n`);
  process.exit(2);
}
// Ctrl-C: exit at once; the observers die with us (PR_SET_PDEATHSIG), and so do their cases.
process.once('SIGINT', () => {
  process.stderr.write('nsconform: interrupted; no reports written\n');
  process.exit(130);
});
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
