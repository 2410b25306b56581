/*
 * Containment's mount namespace: / private, every mount read-only (mount_setattr, or a bind-remount of each
 * mount point before 5.12), then writable again only the scratch dir, a fresh /proc, and the cgroup2 and sysfs trees.
 */
#define _GNU_SOURCE
#include "compat.h"
#include "containment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>


static int failed(const char **what, const char *text, int rc)
{
	*what = text;
	return rc;
}

static int set_readonly(const char *path, int recursive, int readonly)
{
	struct nsc_mount_attr attr;
	memset(&attr, 0, sizeof attr);
	if (readonly)
		attr.attr_set = MOUNT_ATTR_RDONLY;
	else
		attr.attr_clr = MOUNT_ATTR_RDONLY;
	return syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof attr) ? -errno : 0;
}

/* Mount options from a mountinfo line's field 6 as MS_* flags, so a remount keeps what a user namespace locked. */
static unsigned long kept_flags(const char *options)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} KEPT[] = {{"nosuid", MS_NOSUID}, {"nodev", MS_NODEV}, {"noexec", MS_NOEXEC}, {"noatime", MS_NOATIME}, {"nodiratime", MS_NODIRATIME}, {"relatime", MS_RELATIME}};
	unsigned long flags = 0;
	for (size_t i = 0; i < sizeof KEPT / sizeof KEPT[0]; i++) {
		size_t n = strlen(KEPT[i].name);
		for (const char *p = options; (p = strstr(p, KEPT[i].name)); p += n)
			if ((p == options || p[-1] == ',') && (p[n] == ',' || p[n] == ' ' || p[n] == '\0'))
				flags |= KEPT[i].flag;
	}
	return flags;
}

/* Calls fn for each mount of this namespace (mountinfo: point, per-mount options, filesystem type); stops at its error. */
static int for_each_mount(int (*fn)(const char *point, const char *options, const char *fstype, int legacy), int legacy)
{
	static char table[65536];
	size_t len = 0;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (ssize_t n; len + 1 < sizeof table && (n = read(fd, table + len, sizeof table - 1 - len)) != 0;) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -errno;
		}
		len += (size_t)n;
	}
	close(fd);
	table[len] = '\0';
	for (char *line = table; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char point[4096], options[512], fstype[64];
		const char *sep = strstr(line, " - ");
		/* mountinfo escapes blanks as \040; such mount points are rare and stay as they are */
		if (sep && sscanf(line, "%*u %*u %*s %*s %4095s %511s", point, options) == 2 && sscanf(sep + 3, "%63s", fstype) == 1 && !strchr(point, '\\')) {
			int rc = fn(point, options, fstype, legacy);
			if (rc)
				return rc;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* Kernels before 5.12 have no mount_setattr: bind-remount every mount point read-only, keeping its locked flags. */
static int remount_readonly(const char *point, const char *options, const char *fstype, int legacy)
{
	(void)fstype, (void)legacy;
	if (mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(options), NULL) && errno != ENOENT && errno != EACCES)
		return -errno;
	return 0;
}

/*
 * cgroup2 and sysfs mounts stay writable: cgroup claims make their own cgroups there, and a user namespace may
 * mount a sysfs only while the one it can see is not locked read-only. The guard confines writes to both.
 */
static int kernel_tree_writable(const char *point, const char *options, const char *fstype, int legacy)
{
	if (strcmp(fstype, "cgroup2") && strcmp(fstype, "sysfs"))
		return 0;
	if (legacy)
		return mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | kept_flags(options), NULL) ? -errno : 0;
	return set_readonly(point, 0, 0);
}

static int force_legacy(void)
{
	const char *value = getenv("NSCONFORM_CONTAIN_LEGACY_RO"); /* tests: the pre-5.12 path on a new kernel */
	return value && *value == '1';
}

/*
 * The scratch dir, writable, on its own mount. Its parent (the run's session dir, 0700 on the host) is covered
 * here by a small tmpfs others may traverse holding just the scratch dir: the unprivileged mode's ids and the
 * roots of user namespaces reach it, and on the host nobody else does.
 */
static int expose_scratch(const char *scratch, const char **what)
{
	char parent[4096], target[4096], through[64];
	int real = open(scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (real < 0)
		return failed(what, "containment: opening the scratch dir", -errno);
	snprintf(parent, sizeof parent, "%s", scratch);
	snprintf(target, sizeof target, "%s", scratch);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mount("tmpfs", parent, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0711,size=64k"))
			return failed(what, "containment: a traversable tmpfs over the scratch dir's parent", -errno);
		if (mkdir(target, 0700))
			return failed(what, "containment: the scratch dir's mount point", -errno);
	}
	snprintf(through, sizeof through, "/proc/self/fd/%d", real);
	int rc = mount(through, target, NULL, MS_BIND | MS_REC, NULL) ? -errno : 0;
	close(real);
	return rc ? failed(what, "containment: bind-mounting the scratch dir", rc) : 0;
}

int containment_mounts(const char *scratch, const char **what)
{
	int rc;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return failed(what, "containment: making / private", -errno);
	if (*scratch && (rc = expose_scratch(scratch, what)))
		return rc;
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return failed(what, "containment: mounting a procfs for the case's PID namespace", -errno);
	int legacy = force_legacy();
	rc = legacy ? -ENOSYS : set_readonly("/", 1, 1);
	if (rc == -ENOSYS) {
		legacy = 1;
		rc = for_each_mount(remount_readonly, 1);
	}
	if (rc)
		return failed(what, "containment: making the host's mounts read-only", rc);
	if (legacy) {
		if (*scratch && mount(NULL, scratch, NULL, MS_BIND | MS_REMOUNT, NULL))
			return failed(what, "containment: keeping the scratch dir writable", -errno);
		if (mount(NULL, "/proc", NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			return failed(what, "containment: keeping /proc writable", -errno);
	} else {
		if (*scratch && (rc = set_readonly(scratch, 1, 0)))
			return failed(what, "containment: keeping the scratch dir writable", rc);
		if ((rc = set_readonly("/proc", 0, 0)))
			return failed(what, "containment: keeping /proc writable", rc);
	}
	if ((rc = for_each_mount(kernel_tree_writable, legacy)))
		return failed(what, "containment: keeping the cgroup2 and sysfs trees writable", rc);
	return 0;
}
