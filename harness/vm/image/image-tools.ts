// The host programs an image run needs beyond a kernel run's, each with the line that says how to get it.
import type { Tool } from '../tools.ts';

export const QEMU_IMG: Tool = { command: 'qemu-img', install: 'apt-get install qemu-utils' };
/** The NoCloud seed is an ISO 9660 volume labelled cidata, as cloud-localds makes it. */
export const GENISOIMAGE: Tool = { command: 'genisoimage', install: 'apt-get install genisoimage' };
/** Kills qemu when nsconform dies (--pdeathsig), so a killed run leaves no guest behind. */
export const SETPRIV: Tool = { command: 'setpriv', install: 'apt-get install util-linux' };
