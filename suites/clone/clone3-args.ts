// The size rules of clone3()'s struct clone_args (spec §2 note 7; the 6.03 page lacks them) — clone(2) clone3().
import { CLONE, expect, Script, SIG, type SpecClaim } from '../../harness/kit.ts';
import { bareClone3Raw, cloneArgs, CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER2 } from './ops.ts';

export const clone3SizeRules: SpecClaim = {
  key: 'clone3-size',
  kinds: ['mnt'],
  claim:
    'clone3 takes struct clone_args of 64 bytes or more: a smaller size gives EINVAL and non-zero bytes beyond the known layout give E2BIG, while a zero-padded larger struct is read like the known one (CLONE_NEWNS|CLONE_FS still gives EINVAL); the 6.03 page lacks these rules',
  specIds: ['COMBO-05'],
  manPage: 'clone(2) clone3(); spec §2 note 7',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    const plain = cloneArgs(0, SIG.CHLD);
    bareClone3Raw(s, 'size56', plain, CLONE_ARGS_SIZE_VER0 - 8);
    bareClone3Raw(s, 'size64', plain, CLONE_ARGS_SIZE_VER0);
    bareClone3Raw(s, 'paddedZero', cloneArgs(0, SIG.CHLD, [0, 0]), CLONE_ARGS_SIZE_VER2 + 16);
    bareClone3Raw(s, 'paddedNonZero', cloneArgs(0, SIG.CHLD, [0, 1]), CLONE_ARGS_SIZE_VER2 + 16);
    bareClone3Raw(s, 'paddedNsFs', cloneArgs(CLONE.NEWNS | CLONE.FS, SIG.CHLD, [0, 0]), CLONE_ARGS_SIZE_VER2 + 16);
    return s;
  },
  checks: () => [
    expect.errno('size56', 'EINVAL', 'size 56'),
    expect.ok('size64', 'size 64 (CLONE_ARGS_SIZE_VER0)'),
    expect.ok('paddedZero', 'size 104, extra bytes zero'),
    expect.errno('paddedNonZero', 'E2BIG', 'size 104, a non-zero extra byte'),
    expect.errno('paddedNsFs', 'EINVAL', 'CLONE_NEWNS|CLONE_FS in a zero-padded 104-byte struct'),
  ],
};
