/* Host safety (spec §2 note 11): refuses a step that would change the host instead of a namespace the script created. */
#ifndef NSC_HOST_GUARD_H
#define NSC_HOST_GUARD_H

/* Records the namespaces, hostname, root and scratch dir the script started with: "the host". */
void guard_init(const char *scratch);
/* NULL when a write to path is allowed, else why not. */
const char *guard_write(const char *path);
/* NULL when the syscall may run with these arguments, else why not. */
const char *guard_syscall(const char *name, const long long *args, int nargs);
/* Whether the caller's namespace of this kind ("mnt", "ipc", ...) is still the host's. */
int guard_in_host_ns(const char *kind);
/* After a new mount namespace was made from the host's: make / recursively private, as unshare(1) does. */
int guard_privatize_after(unsigned long flags, int was_host_mnt);

#endif
