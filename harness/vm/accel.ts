// KVM or software emulation, decided from what works: a /dev/kvm node alone proves nothing.
import { accessSync, constants, readFileSync } from 'node:fs';

export type Accel = 'kvm' | 'tcg';

/**
 * KVM needs a usable /dev/kvm and a CPU that offers vmx or svm to this machine. Even then the
 * first boot watches for console output and falls back to tcg (see runGuest).
 */
export function chooseAccel(): { accel: Accel; why: string } {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', why: '/dev/kvm is not usable' };
  }
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  if (!/^flags\s*:.*\b(vmx|svm)\b/m.test(flags))
    return { accel: 'tcg', why: '/dev/kvm exists but the CPU shows no vmx/svm, so a KVM guest would not run' };
  return { accel: 'kvm', why: '/dev/kvm usable and the CPU has vmx/svm' };
}
