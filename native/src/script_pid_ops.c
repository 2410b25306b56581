/*
 * Ops for the pid suite (pid_namespaces(7)): signal handlers whose arrival a script can read back,
 * an existence probe that sends no signal, and the PID-namespace nesting chain (PID-13).
 * Only async-signal-safe calls: these run in forked script processes.
 */
#define _GNU_SOURCE
#include "containment.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSIG_MAX 65

static volatile sig_atomic_t caught_count[NSIG_MAX];
static volatile sig_atomic_t caught_pid[NSIG_MAX];

static void on_signal(int sig, siginfo_t *info, void *unused)
{
	(void)unused;
	if (sig > 0 && sig < NSIG_MAX) {
		caught_pid[sig] = info ? info->si_pid : -1;
		caught_count[sig]++;
	}
}

static int signal_arg(const struct step *st, int i)
{
	int ok = 1;
	long long sig = arg_number(st, i, &ok);
	return ok && sig > 0 && sig < NSIG_MAX ? (int)sig : -1;
}

/* catch SIG: installs a handler (SA_SIGINFO) that counts SIG and keeps the last si_pid. */
static long long op_catch(const struct step *st, struct json *j)
{
	int sig = signal_arg(st, 0);
	struct sigaction sa;
	(void)j;
	if (sig < 0)
		return -EINVAL;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	caught_count[sig] = 0;
	return sigaction(sig, &sa, NULL) ? -errno : 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * caught SIG MS: waits at most MS for the handler of SIG to have run (a bounded wait for an event,
 * not a sleep); "count" and "siPid" (of the last arrival) as fields; ETIMEDOUT when it never ran.
 */
static long long op_caught(const struct step *st, struct json *j)
{
	int ok = 1, sig = signal_arg(st, 0);
	long long budget = arg_number(st, 1, &ok);
	if (sig < 0 || !ok || budget < 0)
		return -EINVAL;
	long long start = now_ms();
	while (caught_count[sig] == 0 && now_ms() - start < budget) {
		struct timespec pause = {0, 1000000};
		nanosleep(&pause, NULL);
	}
	json_key(j, "count");
	json_int(j, caught_count[sig]);
	if (caught_count[sig] == 0)
		return -ETIMEDOUT;
	json_key(j, "siPid");
	json_int(j, caught_pid[sig]);
	return caught_count[sig];
}

/* visible PID: kill(PID, 0), which sends nothing; 0 when the caller can see PID, else ESRCH (or EPERM). */
static long long op_visible(const struct step *st, struct json *j)
{
	int ok = 1;
	long long pid = arg_number(st, 0, &ok);
	(void)j;
	if (!ok || pid <= 0)
		return -EINVAL; /* never a group or every process */
	return syscall(SYS_kill, (pid_t)pid, 0) ? -errno : 0;
}

/* The caller's PID-namespace depth (spec note 3): the number of NSpid fields in /proc/self/status, minus 1. */
static int nspid_depth(void)
{
	static char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *line = strstr(buf, "\nNSpid:");
	if (!line)
		return -1;
	int fields = 0;
	for (const char *p = line + 7; *p && *p != '\n';) {
		if (*p >= '0' && *p <= '9') {
			fields++;
			while (*p >= '0' && *p <= '9')
				p++;
		} else {
			p++;
		}
	}
	return fields - 1 + containment_depth_offset(); /* from the host's level, not the case's */
}

struct nest_result {
	int created;      /* unshare(CLONE_NEWPID) + fork levels made below the start */
	int depth;        /* the deepest process's own depth, from its NSpid */
	int unshare_err;  /* errno of the unshare(CLONE_NEWPID) that failed */
	int clone_err;    /* errno of clone(CLONE_NEWPID) at that depth, 0 if it worked */
};

static void wait_exit(pid_t pid)
{
	int status = 0;
	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/*
 * pidnest: a throw-away chain, each level unshare(CLONE_NEWPID) and fork (so each child is the
 * init of a namespace one level deeper), until unshare fails; the deepest process then tries
 * clone(CLONE_NEWPID) too. Fields: startDepth, created, depth, unshareErrno, cloneErrno.
 */
static long long op_pidnest(const struct step *st, struct json *j)
{
	int fds[2];
	(void)st;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	int start = nspid_depth();
	pid_t helper = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (helper < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	if (helper == 0) {
		struct nest_result res = {0, -1, 0, 0};
		close(fds[0]);
		for (int level = 0; level < 64; level++) {
			if (syscall(SYS_unshare, (unsigned long)CLONE_NEWPID)) {
				res.unshare_err = errno;
				break;
			}
			pid_t child = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0L, 0L, 0L, 0L);
			if (child < 0)
				_exit(3);
			if (child > 0)
				wait_exit(child);
			res.created++;
		}
		pid_t inner = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWPID | SIGCHLD), 0L, 0L, 0L, 0L);
		if (inner == 0)
			_exit(0);
		if (inner < 0) {
			res.clone_err = errno;
		} else {
			int status;
			while (waitpid(inner, &status, __WALL) < 0 && errno == EINTR)
				;
		}
		res.depth = nspid_depth();
		_exit(write(fds[1], &res, sizeof res) == (ssize_t)sizeof res ? 0 : 4);
	}
	close(fds[1]);
	struct nest_result res;
	ssize_t got;
	while ((got = read(fds[0], &res, sizeof res)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	int status = 0;
	while (waitpid(helper, &status, __WALL) < 0 && errno == EINTR)
		;
	json_key(j, "startDepth");
	json_int(j, start);
	if (got != (ssize_t)sizeof res)
		return -EPIPE;
	json_key(j, "created");
	json_int(j, res.created);
	json_key(j, "depth");
	json_int(j, res.depth);
	json_key(j, "unshareErrno");
	json_string(j, res.unshare_err ? errno_name(res.unshare_err) : "none");
	json_key(j, "cloneErrno");
	json_string(j, res.clone_err ? errno_name(res.clone_err) : "none");
	return res.created;
}

NSC_OP("catch", op_catch, "signal:int", "", "");
NSC_OP("caught", op_caught, "signal:int withinMs:int", "count:int siPid:int", "");
NSC_OP("visible", op_visible, "pid:int", "", "");
NSC_OP("pidnest", op_pidnest, "", "startDepth:int created:int depth:int unshareErrno:text cloneErrno:text", "call:unshare kind:pid");
