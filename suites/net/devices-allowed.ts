// Which devices a fresh network namespace may hold: lo, plus the fallback tunnel devices that loaded tunnel
// drivers add to every namespace while net.core.fb_tunnels_only_for_init_net is 0.
const FALLBACKS = ['tunl0', 'sit0', 'ip6tnl0', 'ip6gre0', 'gre0', 'gretap0', 'erspan0', 'ip_vti0', 'ip6_vti0'];
const NAME = `(?:lo|${FALLBACKS.join('|')})`;

/** Space-separated names: lo is there, and every name is lo or a fallback tunnel. */
export const ONLY_LO_AND_FALLBACKS = new RegExp(`^(?=(?:.* )?lo(?: |$))${NAME}(?: ${NAME})*$`);

/** /proc/net/dev: two header lines, then one line per device, every one lo or a fallback tunnel, lo among them. */
export const ONLY_LO_AND_FALLBACKS_DEV = new RegExp(`^[^\\n]*\\n[^\\n]*\\n(?=(?:[^\\n]*\\n)*\\s*lo:)(?:\\s*${NAME}:[^\\n]*\\n)+$`);
