// A module file uncompressed: .ko as is, .ko.gz with zlib, .ko.xz and .ko.zst with the host's xz and zstd.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EnvironmentError } from '../errors.ts';
import { XZ, ZSTD, findTool, type Tool } from './tools.ts';

function decompressWith(tool: Tool, path: string): Buffer {
  const result = spawnSync(findTool(tool), ['-dc', path], { maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0)
    throw new EnvironmentError(
      `${tool.command} -dc ${path} failed: ${result.stderr?.toString().trim() || result.error?.message || `exit code ${result.status}`}`,
    );
  return result.stdout;
}

export function readModuleFile(path: string): Buffer {
  if (path.endsWith('.ko.gz')) return gunzipSync(readFileSync(path));
  if (path.endsWith('.ko.xz')) return decompressWith(XZ, path);
  if (path.endsWith('.ko.zst')) return decompressWith(ZSTD, path);
  return readFileSync(path);
}
