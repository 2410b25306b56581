/* Host safety for file writes: paths resolved by the kernel to a directory fd, judged by what that fd is. */
#ifndef NSC_GUARD_FILES_H
#define NSC_GUARD_FILES_H

#include <sys/types.h>

enum { GUARD_WRITE, GUARD_MKDIR, GUARD_RMDIR };

/* Records the scratch dir (its device and inode) the script starts with. */
void guard_files_init(const char *scratch);
/* The parent directory of path as an O_PATH fd when a write there is allowed; *base names the entry. -errno, *why when refused. */
int guard_parent(const char *path, int op, const char **base, const char **why);
/* open(path, flags, mode) where the guard allows writing, never following a symlink; fd, or -errno with *why when refused. */
int guard_open(const char *path, int flags, mode_t mode, const char **why);
/* The scratch dir or a directory below it as an O_PATH fd (symlinks not followed); -errno with *why otherwise. */
int guard_scratch_dir(const char *path, const char **why);
/* Runs a path-taking syscall (mkdir, chown, openat for writing, bind of an AF_UNIX path, ...) on a vetted parent fd.
 * 1 when name is one of them (*ret is the result, *why set when the guard refused), else 0. */
int guard_path_call(const char *name, const long long *args, int nargs, long long *ret, const char **why);

#endif
