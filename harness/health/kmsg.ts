// The kernel log through /dev/kmsg: records after a remembered sequence number, kernel-facility lines only.
import { closeSync, constants, openSync, readSync } from 'node:fs';

export const KMSG = '/dev/kmsg';
const RECORD_BYTES = 16 * 1024;

export interface KmsgRecord {
  readonly seq: number;
  readonly facility: number;
  readonly text: string;
}

/** "pri,seq,usec,flags[,…];message" with continuation lines (" KEY=value") after it. */
export function parseRecord(raw: string): KmsgRecord | null {
  const match = /^(\d+),(\d+),\d+,[^;]*;([^\n]*)/.exec(raw);
  if (!match) return null;
  return { seq: Number(match[2]), facility: Number(match[1]) >> 3, text: match[3] ?? '' };
}

/** How to lift each way the log can be withheld, so the skip says what to change, not only what failed. */
const KMSG_FIXES: Readonly<Record<string, string>> = {
  EPERM: ' — reading it needs CAP_SYSLOG when kernel.dmesg_restrict is 1: run as root, or set kernel.dmesg_restrict=0',
  EACCES: ' — the device is not readable by this user: run as root (in a container, add CAP_SYSLOG)',
  ENOENT:
    ' — no kernel log device here (a container without /dev/kmsg): pass it in (docker --device /dev/kmsg) or run on the host',
};

export type KmsgReading = { ok: true; records: KmsgRecord[] } | { ok: false; reason: string };

/** Every record still in the ring buffer: one read(2) returns one record; EAGAIN means the end; EPIPE a record overwritten. */
export function readKmsg(device = KMSG): KmsgReading {
  let fd: number;
  try {
    fd = openSync(device, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, reason: `cannot read ${device}: ${code}${KMSG_FIXES[code] ?? ''}` };
  }
  const records: KmsgRecord[] = [];
  const buffer = Buffer.alloc(RECORD_BYTES);
  try {
    for (;;) {
      let bytes: number;
      try {
        bytes = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue;
        return { ok: false, reason: `reading ${device} failed: ${code ?? (error as Error).message}` };
      }
      if (bytes === 0) break;
      const record = parseRecord(buffer.toString('utf8', 0, bytes));
      if (record) records.push(record);
    }
  } finally {
    closeSync(fd);
  }
  return { ok: true, records };
}
