/* Path-taking syscalls of `sys`, run as their *at forms on a parent fd the file guard vetted, never following a symlink. */
#define _GNU_SOURCE
#include "guard_files.h"
#include "host_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define STR(i) ((const char *)(long)a[i])

static long long at_call(const char *name, const long long *a, int parent, const char *base)
{
	long rc;
	if (!strcmp(name, "mkdir"))
		rc = mkdirat(parent, base, (mode_t)a[1]);
	else if (!strcmp(name, "rmdir"))
		rc = unlinkat(parent, base, AT_REMOVEDIR);
	else if (!strcmp(name, "unlink"))
		rc = unlinkat(parent, base, 0);
	else if (!strcmp(name, "mknod"))
		rc = mknodat(parent, base, (mode_t)a[1], (dev_t)a[2]);
	else if (!strcmp(name, "symlink"))
		rc = symlinkat(STR(0), parent, base);
	else if (!strcmp(name, "chown"))
		rc = fchownat(parent, base, (uid_t)a[1], (gid_t)a[2], AT_SYMLINK_NOFOLLOW);
	else /* chmod: on the file itself, found without following a symlink */ {
		int leaf = openat(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		char self[64];
		if (leaf < 0)
			return -errno;
		if (fstat(leaf, &st) || S_ISLNK(st.st_mode)) {
			close(leaf);
			return -ELOOP;
		}
		snprintf(self, sizeof self, "/proc/self/fd/%d", leaf);
		rc = chmod(self, (mode_t)a[1]);
		int err = errno;
		close(leaf);
		errno = err;
	}
	return rc < 0 ? -errno : rc;
}

static long long guarded_at(const char *name, const long long *a, int n, const char **why)
{
	const char *base;
	int path_arg = !strcmp(name, "symlink") ? 1 : 0;
	int op = !strcmp(name, "mkdir") ? GUARD_MKDIR : !strcmp(name, "rmdir") ? GUARD_RMDIR : GUARD_WRITE;
	if (n <= path_arg)
		return -EINVAL;
	int parent = guard_parent(STR(path_arg), op, &base, why);
	if (parent < 0)
		return parent;
	long long ret = at_call(name, a, parent, base);
	if (ret == 0 && op == GUARD_MKDIR)
		guard_note_cgroup(parent, base);
	close(parent);
	return ret;
}

static long long guarded_openat(const long long *a, int n, const char **why)
{
	int flags = (int)a[2];
	if ((int)a[0] != AT_FDCWD && STR(1)[0] != '/') {
		*why = "host safety: a file opened for writing is named by an absolute path or one relative to the cwd";
		return -EACCES;
	}
	return guard_open(STR(1), flags, n >= 4 ? (mode_t)a[3] : 0, why);
}

/* chroot only into the scratch dir or below it: fchdir there, chroot("."), and back. */
static long long guarded_chroot(const long long *a, const char **why)
{
	int dir = guard_scratch_dir(STR(0), why);
	if (dir < 0)
		return dir;
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	long long ret = fchdir(dir) || chroot(".") ? -errno : 0;
	if (here >= 0) {
		fchdir(here);
		close(here);
	}
	close(dir);
	return ret;
}

/* bind of an AF_UNIX address: a path is a file the guard must allow; an abstract name lives in the socket's own net namespace. */
static long long guarded_bind(const long long *a, int n, const char **why)
{
	const struct sockaddr_un *addr = (const struct sockaddr_un *)(long)a[1];
	long len = n >= 3 ? (long)a[2] : 0;
	if (addr && len > (long)sizeof(sa_family_t) && addr->sun_family == AF_UNIX) {
		if (addr->sun_path[0] == '\0') {
			int ns = ioctl((int)a[0], SIOCGSKNS);
			int own = ns >= 0 && guard_own_ns_fd(ns, "net");
			if (ns >= 0)
				close(ns);
			if (!own) {
				*why = "host safety: abstract AF_UNIX names only in a net namespace the script created";
				return -EACCES;
			}
		} else {
			char path[sizeof addr->sun_path + 1];
			const char *base;
			size_t max = (size_t)len - sizeof(sa_family_t);
			snprintf(path, sizeof path, "%.*s", (int)(max < sizeof addr->sun_path ? max : sizeof addr->sun_path), addr->sun_path);
			int parent = guard_parent(path, GUARD_WRITE, &base, why);
			if (parent < 0)
				return parent;
			close(parent);
		}
	}
	return syscall(SYS_bind, a[0], a[1], a[2]) < 0 ? -errno : 0;
}

int guard_path_call(const char *name, const long long *a, int n, long long *ret, const char **why)
{
	*why = NULL;
	if (!strcmp(name, "mkdir") || !strcmp(name, "rmdir") || !strcmp(name, "unlink") || !strcmp(name, "mknod") || !strcmp(name, "symlink") ||
	    !strcmp(name, "chown") || !strcmp(name, "chmod"))
		*ret = guarded_at(name, a, n, why);
	else if (!strcmp(name, "openat") && n >= 3 && ((int)a[2] & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)))
		*ret = guarded_openat(a, n, why);
	else if (!strcmp(name, "chroot") && n >= 1)
		*ret = guarded_chroot(a, why);
	else if (!strcmp(name, "bind") && n >= 2)
		*ret = guarded_bind(a, n, why);
	else
		return 0;
	return 1;
}
