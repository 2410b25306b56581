/*
 * Host safety for file writes (spec §2 note 11): a path is resolved by the kernel to a directory fd, and the
 * write is allowed by what that fd is (beneath the scratch dir, a filesystem the script mounted, its own cgroup,
 * a namespaced /proc file of its own namespace), then made relative to that fd without following a symlink.
 */
#define _GNU_SOURCE
#include "case_cgroup.h"
#include "compat.h"
#include "guard_files.h"
#include "host_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

#define PROC_ROOT_INO 1
#define SCRATCH_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)

static char scratch_path[4096];
static dev_t scratch_dev;
static ino_t scratch_ino;

static const char OUTSIDE[] = "host safety: path is outside the scratch dir and the script's own namespaces, cgroups and filesystems";

void guard_files_init(const char *scratch)
{
	struct stat st;
	scratch_path[0] = '\0';
	if (scratch && *scratch && stat(scratch, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(scratch_path, sizeof scratch_path, "%s", scratch);
		scratch_dev = st.st_dev;
		scratch_ino = st.st_ino;
	}
}

/*
 * Kernels before 5.6 have no openat2: walk the path one component at a time with O_NOFOLLOW, refusing "..",
 * any symlink (but procfs's "self" and "thread-self" when symlinks are allowed) and, for RESOLVE_NO_XDEV, a
 * change of device. (Magic links are symlinks to this walk, so they are refused as well.)
 */
static int walk_open(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
	char copy[4096];
	struct stat start, now;
	snprintf(copy, sizeof copy, "%s", path);
	if (path[0] == '/' && (resolve & RESOLVE_BENEATH))
		return -EXDEV;
	int cur = openat(dirfd, path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0 || fstat(cur, &start))
		return cur < 0 ? -errno : -EIO;
	char *save = NULL, *part = strtok_r(copy, "/", &save);
	while (part) {
		char *next = strtok_r(NULL, "/", &save);
		if (strcmp(part, "..") == 0) {
			close(cur);
			return -EXDEV;
		}
		if (strcmp(part, ".") == 0) {
			part = next;
			continue;
		}
		int self_link = !(resolve & RESOLVE_NO_SYMLINKS) && (strcmp(part, "self") == 0 || strcmp(part, "thread-self") == 0);
		int nofollow = self_link ? 0 : O_NOFOLLOW;
		int fd = next ? openat(cur, part, O_PATH | O_DIRECTORY | O_CLOEXEC | nofollow)
		              : openat(cur, part, (flags & O_PATH ? flags | O_CLOEXEC : flags) | nofollow, mode);
		int err = errno;
		close(cur);
		if (fd < 0)
			return err == ENOTDIR && next ? -ELOOP : -err;
		if ((resolve & RESOLVE_NO_XDEV) && (fstat(fd, &now) || now.st_dev != start.st_dev)) {
			close(fd);
			return -EXDEV;
		}
		if (!next && (resolve & RESOLVE_NO_SYMLINKS) && (fstat(fd, &now) || S_ISLNK(now.st_mode))) {
			close(fd);
			return -ELOOP;
		}
		if (!next)
			return fd;
		cur = fd;
		part = next;
	}
	return cur; /* the path named the start directory itself */
}

static int force_walk(void)
{
	const char *value = getenv("NSCONFORM_GUARD_NO_OPENAT2"); /* tests: the pre-5.6 walk on a new kernel */
	return value && *value == '1';
}

static int open2(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
	/* The script's own flags are kept as given (an fd it opens may be meant to survive exec); ours close on exec. */
	struct nsc_open_how how = {.flags = (unsigned long long)(flags & O_PATH ? flags | O_CLOEXEC : flags), .mode = mode, .resolve = resolve};
	long fd = force_walk() ? (errno = ENOSYS, -1) : syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		return walk_open(dirfd, path, flags, mode, resolve);
	return fd < 0 ? -errno : (int)fd;
}

/* Filesystems whose files are kernel state or another tree's (proc, sysfs, overlay over host dirs) are never "the script's own". */
static int plain_fs(long type)
{
	return type == TMPFS_MAGIC || type == RAMFS_MAGIC || type == MQUEUE_MAGIC;
}

/* A directory on a filesystem the script mounted itself (a new superblock), of a kind that holds plain files. */
static int own_filesystem(int fd)
{
	struct stat st;
	struct statfs fs;
	return fstat(fd, &st) == 0 && fstatfs(fd, &fs) == 0 && plain_fs((long)fs.f_type) && guard_own_dev(st.st_dev);
}

static int under_text(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return n > 1 && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The parent directory of path beneath the scratch dir as the caller sees it now (its own mounts included). */
static int scratch_parent(const char *rel_parent, const char **why)
{
	struct stat st;
	int view = open(scratch_path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (view < 0)
		return -errno;
	if (fstat(view, &st) || !((st.st_dev == scratch_dev && st.st_ino == scratch_ino) || own_filesystem(view))) {
		close(view);
		*why = "host safety: the scratch dir's path no longer leads to the scratch dir or a filesystem the script mounted there";
		return -EACCES;
	}
	const char *rel = *rel_parent ? rel_parent : ".";
	int fd = open2(view, rel, O_PATH | O_DIRECTORY, 0, SCRATCH_RESOLVE);
	if (fd == -EXDEV) {
		/* Crossing a mount below the scratch dir: only into a filesystem the script mounted itself. */
		fd = open2(view, rel, O_PATH | O_DIRECTORY, 0, SCRATCH_RESOLVE & ~(unsigned long long)RESOLVE_NO_XDEV);
		if (fd >= 0 && !own_filesystem(fd)) {
			close(fd);
			*why = "host safety: below the scratch dir only filesystems the script mounted itself (tmpfs, ramfs, mqueue) are written";
			fd = -EACCES;
		}
	} else if (fd == -ELOOP) {
		*why = "host safety: no symbolic link is followed in a path that is written";
		fd = -EACCES;
	}
	close(view);
	return fd;
}

/* The scratch dir's own entry (its mode, owner): through its parent, checked to be the scratch dir still. */
static int scratch_itself(const char *parent, const char *base, const char **why)
{
	struct stat st;
	int fd = open(*parent ? parent : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) || st.st_dev != scratch_dev || st.st_ino != scratch_ino) {
		close(fd);
		*why = "host safety: the scratch dir's path no longer leads to the scratch dir";
		return -EACCES;
	}
	return fd;
}

struct scoped {
	const char *pattern; /* relative to the procfs root, matched with FNM_PATHNAME */
	const char *ns;      /* NULL: a per-process file, always allowed */
};

static const struct scoped SCOPED[] = {
	{"*/uid_map", NULL},
	{"*/gid_map", NULL},
	{"*/setgroups", NULL},
	{"*/projid_map", NULL},
	{"*/timens_offsets", NULL},
	{"sys/user/*", "user"},
	{"sys/kernel/msg*", "ipc"},
	{"sys/kernel/sem*", "ipc"},
	{"sys/kernel/shm*", "ipc"},
	{"sys/kernel/auto_msgmni", "ipc"},
	{"sys/fs/mqueue/*", "ipc"},
	{"sys/net/*", "net"},
	{"sys/net/*/*", "net"},
	{"sys/net/*/*/*", "net"},
	{"sys/net/*/*/*/*", "net"},
	{"sys/kernel/hostname", "uts"},
	{"sys/kernel/domainname", "uts"},
	{"sys/kernel/ns_last_pid", "pid"},
};

/* /proc as the caller sees it, accepted only when it is the root of a procfs; files are judged relative to it. */
static int proc_parent(const char *rel_parent, const char *base, const char **why)
{
	char rel[4096];
	struct stat st;
	struct statfs fs;
	int proc = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (proc < 0)
		return -errno;
	if (fstatfs(proc, &fs) || fs.f_type != PROC_SUPER_MAGIC || fstat(proc, &st) || st.st_ino != PROC_ROOT_INO) {
		close(proc);
		*why = "host safety: /proc is not the root of a procfs here";
		return -EACCES;
	}
	snprintf(rel, sizeof rel, "%s%s%s", rel_parent, *rel_parent ? "/" : "", base);
	const struct scoped *found = NULL;
	for (size_t i = 0; i < sizeof SCOPED / sizeof SCOPED[0] && !found; i++)
		if (fnmatch(SCOPED[i].pattern, rel, FNM_PATHNAME) == 0)
			found = &SCOPED[i];
	if (!found || (found->ns && !guard_own_ns(found->ns))) {
		close(proc);
		*why = found ? "host safety: this file belongs to the host's namespace; write it only from a namespace the script created"
		             : "host safety: this /proc file is not a per-process or namespaced file";
		return -EACCES;
	}
	/* Symlinks inside procfs (self, thread-self) are fine; magic links (root, cwd, fd/N) and other mounts are not. */
	int fd = open2(proc, *rel_parent ? rel_parent : ".", O_PATH | O_DIRECTORY, 0, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
	close(proc);
	if (fd == -ELOOP || fd == -EXDEV) {
		*why = "host safety: a /proc path that is written may not pass through a magic link or another mount";
		return -EACCES;
	}
	return fd;
}

static unsigned long long mount_id(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;
	if (fstat(fd, &st))
		return 0;
	*dev = st.st_dev;
	*ino = st.st_ino;
#ifdef STATX_MNT_ID
	struct statx sx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 && (sx.stx_mask & STATX_MNT_ID))
		return sx.stx_mnt_id;
#endif
	return 1 + (unsigned long long)st.st_dev; /* headers or kernel before 5.8: the device stands in for the mount */
}

/* Whether dir is the scratch dir or below it on the same mount (e.g. after a chroot into it), walking up "..". */
static int below_scratch(int dir)
{
	dev_t dev;
	ino_t ino;
	unsigned long long mnt = mount_id(dir, &dev, &ino), now = mnt;
	int fd = dup(dir), found = 0;
	for (int depth = 0; fd >= 0 && depth < 64 && now == mnt; depth++) {
		if (dev == scratch_dev && ino == scratch_ino) {
			found = 1;
			break;
		}
		int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		dev_t up_dev;
		ino_t up_ino;
		now = up >= 0 ? mount_id(up, &up_dev, &up_ino) : 0;
		close(fd);
		fd = up;
		if (up < 0 || (up_dev == dev && up_ino == ino))
			break;
		dev = up_dev, ino = up_ino;
	}
	if (fd >= 0)
		close(fd);
	return found;
}

/* Anything else: a filesystem the script mounted, or a cgroup directory it created. */
static int other_parent(const char *parent, const char *base, int op, const char **why)
{
	struct statfs fs;
	int fd = open2(AT_FDCWD, *parent ? parent : "/", O_PATH | O_DIRECTORY, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd == -ELOOP) {
		*why = "host safety: no symbolic link is followed in a path that is written";
		return -EACCES;
	}
	if (fd < 0)
		return fd;
	if (fstatfs(fd, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
		struct stat dir;
		/* A new cgroup is made only in an own cgroup or the case's, which the observer removes as a tree: never at the root. */
		int ok = fstat(fd, &dir) == 0 && (guard_own_cgroup(dir.st_dev, dir.st_ino) || (op == GUARD_MKDIR && case_cgroup_is(dir.st_dev, dir.st_ino)));
		if (op == GUARD_RMDIR) {
			struct stat leaf;
			ok = fstatat(fd, base, &leaf, AT_SYMLINK_NOFOLLOW) == 0 && guard_own_cgroup(leaf.st_dev, leaf.st_ino);
		}
		if (ok)
			return fd;
		close(fd);
		*why = "host safety: cgroups are written only in a cgroup the script created (new ones: below the case's cgroup, {cgroup})";
		return -EACCES;
	}
	if (own_filesystem(fd) || (*scratch_path && below_scratch(fd)))
		return fd;
	close(fd);
	*why = OUTSIDE;
	return -EACCES;
}

int guard_parent(const char *path, int op, const char **base_out, const char **why)
{
	static char parent[4096];
	*why = NULL;
	if (!path || path[0] != '/') {
		*why = "host safety: writes need an absolute path";
		return -EACCES;
	}
	if (strstr(path, "/../") || strstr(path, "/./") || (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
		*why = "host safety: no \"..\" in a path that is written (it could climb out of the scratch dir or an own cgroup)";
		return -EACCES;
	}
	snprintf(parent, sizeof parent, "%s", path);
	size_t len = strlen(parent);
	while (len > 1 && parent[len - 1] == '/')
		parent[--len] = '\0';
	char *slash = strrchr(parent, '/');
	static char base[256];
	snprintf(base, sizeof base, "%s", slash + 1);
	*slash = '\0';
	*base_out = base;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		*why = "host safety: a path that is written must name an entry";
		return -EACCES;
	}
	if (*scratch_path && op == GUARD_WRITE && strcmp(path, scratch_path) == 0)
		return scratch_itself(parent, base, why);
	if (*scratch_path && under_text(parent[0] ? parent : "/", scratch_path))
		return scratch_parent(parent + strlen(scratch_path) + (parent[strlen(scratch_path)] == '/'), why);
	if (strcmp(parent, "/proc") == 0 || strncmp(parent, "/proc/", 6) == 0)
		return proc_parent(parent[5] ? parent + 6 : "", base, why);
	return other_parent(parent, base, op, why);
}

int guard_open(const char *path, int flags, mode_t mode, const char **why)
{
	const char *base;
	int parent = guard_parent(path, GUARD_WRITE, &base, why);
	if (parent < 0)
		return parent;
	int fd = open2(parent, base, flags | O_NOFOLLOW, (flags & O_CREAT) ? mode : 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
	close(parent);
	if (fd == -ELOOP || fd == -EXDEV) {
		*why = "host safety: the file written may not be a symbolic link or a mount point";
		return -EACCES;
	}
	return fd;
}

int guard_scratch_dir(const char *path, const char **why)
{
	*why = NULL;
	if (!*scratch_path || !path || !under_text(path, scratch_path) || strstr(path, "/..")) {
		*why = "host safety: chroot only to the scratch dir or a directory below it";
		return -EACCES;
	}
	const char *rel = path + strlen(scratch_path);
	while (*rel == '/')
		rel++;
	return scratch_parent(rel, why);
}
