/*
 * Containment: every case runs below an init of its own PID, mount, UTS and IPC namespaces, with the host's
 * mount tree read-only except the scratch dir, a fresh /proc, cgroup2 and sysfs (containment_mounts.c). Killing that init kills every
 * process of the case (setsid or not); nothing the case does reaches the host's hostname or SysV/POSIX IPC.
 */
#define _GNU_SOURCE
#include "compat.h"
#include "containment.h"
#include "case_cgroup.h"
#include "names.h"
#include "script.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

static const int *init_closes;
static int init_ncloses;

static void run_init(int fd, const char *scratch, void (*body)(void *), void *arg, int born_in_cgroup) __attribute__((noreturn));
static void run_init(int fd, const char *scratch, void (*body)(void *), void *arg, int born_in_cgroup)
{
	const char *what = NULL;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	int joined = case_cgroup_join(born_in_cgroup);
	if (joined)
		fail(fd, "containment: joining the case's cgroup", -joined);
	/* No fd of the host's /proc stays open: through /proc/1/ns it would lead back out. Read what counts from it first. */
	depth_offset = host_levels();
	contained = 1;
	int rc = containment_mounts(scratch, &what);
	if (rc)
		fail(fd, what, -rc);
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
			/*
			 * POSIX queues and SysV objects the script made are removed now, while the rest of the case dies
			 * with init: left to the IPC namespace's own (deferred) teardown, a queue would keep its bytes
			 * charged to the user's RLIMIT_MSGQUEUE for a while, and a case running beside this one could miss them.
			 */
			if (script_shared())
				script_cleanup_host_objects(script_shared());
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

/*
 * The init, born in the case's cgroup where clone3 can (CLONE_INTO_CGROUP, 5.7): moving a process there afterwards
 * costs a millisecond or more. Otherwise (older kernels, a filter refusing clone3) clone(2), and init moves itself.
 */
static pid_t clone_into_cgroup(int *born_in_cgroup)
{
	if (case_cgroup_fd() >= 0) {
		struct clone_args args;
		memset(&args, 0, sizeof args);
		args.flags = CONTAIN_FLAGS | CLONE_INTO_CGROUP;
		args.exit_signal = SIGCHLD;
		args.cgroup = (uint64_t)case_cgroup_fd();
		*born_in_cgroup = 1;
		pid_t init = (pid_t)syscall(SYS_clone3, &args, sizeof args);
		if (init >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL && errno != EPERM))
			return init;
		*born_in_cgroup = 0;
	}
	return (pid_t)syscall(SYS_clone, (unsigned long)(CONTAIN_FLAGS | SIGCHLD), 0L, 0L, 0L, 0L);
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
	int born_in_cgroup = 0;
	pid_t init = clone_into_cgroup(&born_in_cgroup);
	if (init == 0) {
		close(fds[0]);
		run_init(fds[1], scratch ? scratch : "", body, arg, born_in_cgroup);
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
