/*
 * Containment: every case runs below an init of its own PID, mount, UTS and IPC namespaces, with the host's
 * mount tree read-only except the scratch dir, a fresh /proc and the cgroup2 tree. Killing that init kills every
 * process of the case (setsid or not); nothing the case does reaches the host's hostname or SysV/POSIX IPC.
 */
#define _GNU_SOURCE
#include "containment.h"
#include "names.h"
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define CONTAIN_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC)

static int status_fd = -1;
static int contained = 0;
static int depth_offset = 0;

int containment_active(void)
{
	return contained;
}

int containment_depth_offset(void)
{
	return depth_offset;
}

/* PID-namespace levels between the host's procfs and the case's: NSpid fields of init there, minus 1. */
static int host_levels(void)
{
	char text[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC); /* still the host's procfs */
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	const char *line = strstr(text, "\nNSpid:");
	int fields = 0, in_field = 0;
	for (const char *p = line ? line + 7 : ""; *p && *p != '\n'; p++) {
		int digit = *p >= '0' && *p <= '9';
		if (digit && !in_field)
			fields++;
		in_field = digit;
	}
	return fields > 1 ? fields - 1 : 0;
}

static void fail(int fd, const char *what, int err) __attribute__((noreturn));
static void fail(int fd, const char *what, int err)
{
	char text[256];
	int n = snprintf(text, sizeof text, "E%s: %s", what, errno_name(err));
	if (write(fd, text, (size_t)n) < 0)
		_exit(123);
	_exit(123);
}

static int set_readonly(const char *path, int recursive, int readonly)
{
	struct mount_attr attr;
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

/* Kernels before 5.12 have no mount_setattr: bind-remount every mount point read-only, keeping its locked flags. */
static int legacy_readonly(void)
{
	static char table[65536];
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, table, sizeof table - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	table[n] = '\0';
	for (char *line = table; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char point[4096], options[512];
		if (sscanf(line, "%*u %*u %*s %*s %4095s %511s", point, options) == 2) {
			/* mountinfo escapes blanks as \040; such mount points are rare and stay as they are */
			if (!strchr(point, '\\') && mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(options), NULL) && errno != ENOENT &&
			    errno != EACCES)
				return -errno;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/*
 * cgroup2 and sysfs mounts stay writable: cgroup claims make their own cgroups there, and a user namespace may
 * mount a sysfs only while the one it can see is not locked read-only. The guard confines writes to both.
 */
static int kernel_trees_writable(int legacy)
{
	static char table[65536];
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, table, sizeof table - 1);
	close(fd);
	table[n > 0 ? n : 0] = '\0';
	for (char *line = table; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char point[4096], options[512];
		const char *sep = strstr(line, " - ");
		if (sep && (strncmp(sep, " - cgroup2 ", 11) == 0 || strncmp(sep, " - sysfs ", 9) == 0) && sscanf(line, "%*u %*u %*s %*s %4095s %511s", point, options) == 2 && !strchr(point, '\\')) {
			int rc = legacy ? (mount(NULL, point, NULL, MS_BIND | MS_REMOUNT | kept_flags(options), NULL) ? -errno : 0) : set_readonly(point, 0, 0);
			if (rc)
				return rc;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
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
static void expose_scratch(int fd, const char *scratch)
{
	char parent[4096], target[4096], through[64];
	int real = open(scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (real < 0)
		fail(fd, "containment: opening the scratch dir", errno);
	snprintf(parent, sizeof parent, "%s", scratch);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mount("tmpfs", parent, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0711,size=64k"))
			fail(fd, "containment: a traversable tmpfs over the scratch dir's parent", errno);
		snprintf(target, sizeof target, "%s/%s", parent, slash + 1);
		if (mkdir(target, 0700))
			fail(fd, "containment: the scratch dir's mount point", errno);
	} else {
		snprintf(target, sizeof target, "%s", scratch);
	}
	snprintf(through, sizeof through, "/proc/self/fd/%d", real);
	if (mount(through, target, NULL, MS_BIND | MS_REC, NULL))
		fail(fd, "containment: bind-mounting the scratch dir", errno);
	close(real);
}

/* In the new mount namespace: everything read-only but scratch, a procfs for the new PID namespace, cgroup2. */
static void setup_mounts(int fd, const char *scratch)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		fail(fd, "containment: making / private", errno);
	/* No fd of the host's /proc stays open: through it, /proc/1/ns/mnt would lead back to the host's tree. */
	depth_offset = host_levels();
	contained = 1;
	if (*scratch)
		expose_scratch(fd, scratch);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		fail(fd, "containment: mounting a procfs for the case's PID namespace", errno);
	int legacy = force_legacy();
	int rc = legacy ? -ENOSYS : set_readonly("/", 1, 1);
	if (rc == -ENOSYS) {
		legacy = 1;
		rc = legacy_readonly();
	}
	if (rc)
		fail(fd, "containment: making the host's mounts read-only", -rc);
	if (legacy) {
		if (*scratch && mount(NULL, scratch, NULL, MS_BIND | MS_REMOUNT, NULL))
			fail(fd, "containment: keeping the scratch dir writable", errno);
		if (mount(NULL, "/proc", NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			fail(fd, "containment: keeping /proc writable", errno);
	} else {
		if (*scratch && (rc = set_readonly(scratch, 1, 0)))
			fail(fd, "containment: keeping the scratch dir writable", -rc);
		if ((rc = set_readonly("/proc", 0, 0)))
			fail(fd, "containment: keeping /proc writable", -rc);
	}
	if ((rc = kernel_trees_writable(legacy)))
		fail(fd, "containment: keeping the cgroup2 and sysfs trees writable", -rc);
}

/* PID 1 of the case: sets up, runs the case root, and when the root ends, reports how and exits (killing the rest). */
static const int *init_closes;
static int init_ncloses;

static void run_init(int fd, const char *scratch, void (*body)(void *), void *arg) __attribute__((noreturn));
static void run_init(int fd, const char *scratch, void (*body)(void *), void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setup_mounts(fd, scratch);
	pid_t root = fork();
	if (root < 0)
		fail(fd, "containment: fork of the case root", errno);
	if (root == 0) {
		close(fd);
		body(arg);
		_exit(125);
	}
	/* The case's pipes are the root's: init holding an end would keep a reader from seeing EOF. */
	for (int i = 0; i < init_ncloses; i++)
		close(init_closes[i]);
	for (;;) {
		int status;
		pid_t got = waitpid(-1, &status, __WALL);
		if (got == root) {
			char text[1 + sizeof status];
			text[0] = 'S';
			memcpy(text + 1, &status, sizeof status);
			if (write(fd, text, sizeof text) < 0)
				_exit(123);
			_exit(0);
		}
		if (got < 0 && errno != EINTR)
			_exit(123);
	}
}

pid_t containment_start(const char *scratch, void (*body)(void *), void *arg, const int *close_in_init, int nclose, char *why, size_t size)
{
	int fds[2];
	init_closes = close_in_init;
	init_ncloses = nclose;
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(why, size, "containment: pipe: %s", errno_name(errno));
		return -1;
	}
	pid_t init = (pid_t)syscall(SYS_clone, (unsigned long)(CONTAIN_FLAGS | SIGCHLD), 0L, 0L, 0L, 0L);
	if (init == 0) {
		close(fds[0]);
		run_init(fds[1], scratch ? scratch : "", body, arg);
	}
	int err = errno;
	close(fds[1]);
	if (init < 0) {
		close(fds[0]);
		snprintf(why, size,
		         "containment: clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC) failed with %s; the case is not run uncontained "
		         "(lift a user.max_*_namespaces limit of 0, or run as root)",
		         errno_name(err));
		return -1;
	}
	status_fd = fds[0];
	return init;
}

int containment_finish(int *root_status, char *why, size_t size)
{
	char text[256];
	ssize_t n = status_fd >= 0 ? read(status_fd, text, sizeof text - 1) : -1;
	if (status_fd >= 0)
		close(status_fd);
	status_fd = -1;
	if (n == (ssize_t)(1 + sizeof *root_status) && text[0] == 'S') {
		memcpy(root_status, text + 1, sizeof *root_status);
		return 0;
	}
	if (n > 1 && text[0] == 'E') {
		text[n] = '\0';
		snprintf(why, size, "%s", text + 1);
		return -1;
	}
	return 1; /* init was killed (deadline) before the root ended */
}
