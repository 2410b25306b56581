/* Host safety (spec §2 note 11): refuses a step that would change anything but what the script itself created. */
#ifndef NSC_HOST_GUARD_H
#define NSC_HOST_GUARD_H

#include <sys/types.h>

/* Opens the procfs the script starts with, records its mounts' devices and the scratch dir; nothing is "own" yet. */
void guard_init(const char *scratch);
/* Whether the caller's namespace of this kind ("mnt", "ipc", ...) is one the script created (device + inode). */
int guard_own_ns(const char *kind);
/* Whether the namespace fd refers to is one the script created. */
int guard_own_ns_fd(int fd, const char *kind);
/* Records the namespaces just made: after unshare(flags) (in_child 0) or in a child cloned with flags (1). */
void guard_note_created(unsigned long flags, int in_child);
/* Records what a successful `sys` call made (namespaces by unshare, a superblock by mount). */
void guard_note_call(const char *name, const long long *args, int nargs, long long ret);
/* Whether the namespace fd refers to is one the script created or started in (joining it leaves nothing). */
int guard_known_ns_fd(int fd);
/* Whether path, looked up in the tree the script started in, is the file fd refers to. */
int guard_start_tree_has(const char *path, int fd);
/* The script's first process, as the procfs opened at start numbers it. */
pid_t guard_root_pid(void);
/* Reads rel (e.g. "123/stat") from the procfs opened at start; its length, or -1. */
int guard_proc_read(const char *rel, char *buf, size_t size);
/* Whether dev is a filesystem the script mounted; whether (dev, ino) is a cgroup it created. */
int guard_own_dev(dev_t dev);
int guard_own_cgroup(dev_t dev, ino_t ino);
/* After mkdirat(parent, base): a new cgroup directory is the script's own. */
void guard_note_cgroup(int parent, const char *base);
/* NULL when the syscall may run with these arguments, else why not (guard_calls.c; path-taking calls: guard_files.h). */
const char *guard_syscall(const char *name, const long long *args, int nargs);
/* After a new mount namespace was made from one the script did not create: make / recursively private, as unshare(1) does. */
int guard_privatize_after(unsigned long flags, int was_own_mnt);

#endif
