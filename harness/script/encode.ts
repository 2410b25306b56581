// Argument tokens for script steps: numbers, strings, buffers and references, percent-encoded to one word.

/** Percent-encodes what would split or end a step line. */
export function token(text: string): string {
  const escape = (c: string): boolean =>
    c === '%' || /\s/.test(c) || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
  return [...text].map((c) => (escape(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
}

export type Arg = number | string;

/** A number as the observer parses it (strtoll base 0). */
export function num(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`script argument is not a safe integer: ${value}`);
  return value < 0 ? String(value) : `0x${value.toString(16)}`;
}

/** A C string; {label} inside is replaced by that step's result. */
export const str = (text: string): `s:${string}` => `s:${text}`;
/**
 * The case's own cgroup directory in a path argument, as the observer substitutes it (like {scratch}): the one place
 * a claim may make cgroups (need `case-cgroup`). The observer removes it as a tree once the case was reaped.
 */
export const CASE_CGROUP = '{cgroup}';
/** The result of an earlier step (a pid, an fd, ...). */
export const ref = (label: string): `$${string}` => `$${label}`;
/** A zeroed output buffer of n bytes, reported back as hex. */
export const out = (n: number): `o:${number}` => `o:${n}`;
/** A buffer holding these bytes, reported back (as changed by the call) as hex. */
export const bytes = (data: Uint8Array): `h:${string}` => `h:${Buffer.from(data).toString('hex')}`;

/** Little-endian layout helpers for the structs scripts pass (x86-64). */
export function u64le(...values: (number | bigint)[]): Uint8Array {
  const buffer = Buffer.alloc(8 * values.length);
  values.forEach((value, i) => buffer.writeBigUInt64LE(BigInt(value), 8 * i));
  return buffer;
}

/** struct ifreq with a name and ifr_flags (40 bytes). */
export function ifreq(name: string, flags = 0): Uint8Array {
  const buffer = Buffer.alloc(40);
  buffer.write(name, 0, 15, 'latin1');
  buffer.writeUInt16LE(flags, 16);
  return buffer;
}

/** struct sockaddr_un for an abstract name (leading NUL), and its length. */
export function abstractUnix(name: string): { addr: Uint8Array; len: number } {
  const buffer = Buffer.alloc(2 + 1 + name.length);
  buffer.writeUInt16LE(1, 0);
  buffer.write(name, 3, 'latin1');
  return { addr: buffer, len: buffer.length };
}

/** struct sockaddr_in for 127.0.0.1 or another dotted address, port in host order. */
export function inet(address: string, port: number): Uint8Array {
  const buffer = Buffer.alloc(16);
  buffer.writeUInt16LE(2, 0);
  buffer.writeUInt16BE(port, 2);
  address.split('.').forEach((part, i) => buffer.writeUInt8(Number(part), 4 + i));
  return buffer;
}
