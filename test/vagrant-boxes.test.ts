// vagrant/: the box list names only local boxes, and fedora-box.sh places Fedora's box only when its signed CHECKSUM vouches for it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';

const PROJECT = join(import.meta.dirname, '..');
const FEDORA_BOX = join(PROJECT, 'vagrant/fedora-box.sh');
const BOX = 'Fedora-Cloud-Base-Vagrant-libvirt-44-1.7.x86_64.vagrant.libvirt.box';
const CHECKSUM = 'Fedora-Cloud-44-1.7-x86_64-CHECKSUM';
const hasTool = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

test('the Vagrantfile fetches nothing: every box is a file under vagrant/boxes/', (t) => {
  const vagrantfile = readFileSync(join(PROJECT, 'vagrant/Vagrantfile'), 'utf8');
  const code = vagrantfile
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  t.notRegex(code, /\b(https?|ftp):\/\//, 'a remote URL in the box list');
  t.regex(code, /box_url = ENV\.fetch\([^,]+, "file:\/\/#\{File\.expand_path\("boxes\/#\{name\}\.box", __dir__\)\}"\)/);
});

/** A throw-away OpenPGP key pair in its own home: what signs the fake CHECKSUM files. */
function makeKey(home: string, name: string): { fingerprint: string; publicKey: string } {
  mkdirSync(home, { mode: 0o700 });
  const gpg = (args: string[]) => {
    const result = spawnSync('gpg', ['--homedir', home, '--batch', '--quiet', ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  gpg(['--passphrase', '', '--quick-gen-key', `${name} <${name}@example.invalid>`, 'ed25519', 'sign', 'never']);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys']))?.[1];
  if (!fingerprint) throw new Error(`gpg made no key for ${name}`);
  const publicKey = join(home, '..', `${name}.asc`);
  writeFileSync(publicKey, gpg(['--armor', '--export', fingerprint]));
  return { fingerprint, publicKey };
}

function clearsign(home: string, text: string): string {
  const result = spawnSync('gpg', ['--homedir', home, '--batch', '--quiet', '--clearsign'], {
    input: text,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

const checksumText = (boxSha256: string) =>
  `# ${BOX}: 8 bytes\nSHA256 (${BOX}) = ${boxSha256}\n# Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2: 8 bytes\n` +
  `SHA256 (Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2) = ${sha256('other')}\n`;

test('fedora-box.sh places a box its signed CHECKSUM vouches for, and refuses a tampered box, a bad signature, another signer and the wrong key', async (t) => {
  for (const tool of ['gpg', 'gpgv', 'gpgconf', 'curl']) if (!hasTool(tool)) return t.pass(`${tool} is not installed`);
  await withDir(
    ({ path }) => {
      const fedoraHome = join(path, 'fedora-gnupg');
      const otherHome = join(path, 'other-gnupg');
      try {
        const fedora = makeKey(fedoraHome, 'fedora');
        const other = makeKey(otherHome, 'other');
        const both = join(path, 'both.asc');
        writeFileSync(both, readFileSync(fedora.publicKey, 'utf8') + readFileSync(other.publicKey, 'utf8'));
        const box = 'the box\n';
        const signed = clearsign(fedoraHome, checksumText(sha256(box)));

        /** Serves a site of one box and one CHECKSUM file, runs the script against it, and says what it placed. */
        const fetch = (name: string, site: { box: string; checksum: string }, key: string, fingerprint?: string) => {
          const dir = join(path, name);
          mkdirSync(join(dir, 'site'), { recursive: true });
          writeFileSync(join(dir, 'site', BOX), site.box);
          writeFileSync(join(dir, 'site', CHECKSUM), site.checksum);
          const run = spawnSync('bash', [FEDORA_BOX, key], {
            encoding: 'utf8',
            env: {
              ...process.env,
              NSCONFORM_FEDORA_SITE: `file://${join(dir, 'site')}`,
              NSCONFORM_BOX_DIR: join(dir, 'boxes'),
              ...(fingerprint ? { NSCONFORM_FEDORA_FINGERPRINT: fingerprint } : {}),
            },
          });
          const boxes = existsSync(join(dir, 'boxes')) ? readdirSync(join(dir, 'boxes')) : [];
          return {
            ...run,
            boxes,
            placed: boxes.includes('fedora44.box') ? readFileSync(join(dir, 'boxes', 'fedora44.box'), 'utf8') : '',
          };
        };

        const good = fetch('good', { box, checksum: signed }, fedora.publicKey, fedora.fingerprint);
        t.is(good.status, 0, good.stderr);
        t.is(good.placed, box);
        t.deepEqual(good.boxes, ['fedora44.box'], 'no partial file is left');

        const another = 'another box\n';
        const notPlaced = /has SHA-256 [0-9a-f]{64}; Fedora's signed .* says [0-9a-f]{64}\. Not placed/;
        const refusals = [
          { name: 'tampered box', box: another, checksum: signed, key: fedora.publicKey, reason: notPlaced },
          {
            // The signed text altered to vouch for another box: the signature no longer verifies.
            name: 'bad signature',
            box: another,
            checksum: signed.replace(sha256(box), sha256(another)),
            key: fedora.publicKey,
            reason: /signature does not verify/,
          },
          {
            // A line before the signed block is outside what the signature covers: it is not read.
            name: 'line outside the signature',
            box: another,
            checksum: `SHA256 (${BOX}) = ${sha256(another)}\n${signed}`,
            key: fedora.publicKey,
            reason: notPlaced,
          },
          {
            // Signed by another key that the key file also holds: only the pinned key is trusted.
            name: 'another signer',
            box,
            checksum: clearsign(otherHome, checksumText(sha256(box))),
            key: both,
            reason: /signature does not verify/,
          },
          {
            // Fedora 44's pinned fingerprint (the default) with a key file that is not Fedora's.
            name: 'wrong key',
            box,
            checksum: signed,
            key: fedora.publicKey,
            fingerprint: 'default',
            reason: /does not hold the pinned key 36F612DCF27F7D1A48A835E4DBFCF71C6D9F90A6/,
          },
        ];
        for (const refusal of refusals) {
          const fingerprint = refusal.fingerprint === 'default' ? undefined : fedora.fingerprint;
          const refused = fetch(refusal.name.replaceAll(' ', '-'), refusal, refusal.key, fingerprint);
          t.is(refused.status, 1, refusal.name);
          t.regex(refused.stderr, refusal.reason, refusal.name);
          t.deepEqual(refused.boxes, [], `${refusal.name}: neither the box nor a partial file is left`);
        }
      } finally {
        for (const home of [fedoraHome, otherHome]) spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
      }
      return Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
