/* The script executor: runs steps in order, forks blocks into children, reports one JSON line per step. */
#define _GNU_SOURCE
#include "case_cgroup.h"
#include "compat.h"
#include "facts.h"
#include "host_guard.h"
#include "io.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAX 4000 /* below PIPE_BUF, so lines from many processes never interleave */
#define MAX_EVENTS 16

static const struct script *script;
static struct script_shared *shared;
static int report;
static int self_exe = -1;
/* The same program by path, for kernels that cannot exec the O_PATH descriptor (5.10 over 9p: ENOENT). */
static char self_path[4096];
static char proc_name[SCRIPT_LABEL] = "main";
static int events[MAX_EVENTS][2];
static const char *scratch_dir = "";

struct script_shared *script_shared(void)
{
	return shared;
}

const char *script_scratch(void)
{
	return scratch_dir;
}

struct script_shared *script_shared_reset(void)
{
	if (!shared) {
		void *area = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (area == MAP_FAILED)
			return NULL;
		shared = area;
	}
	memset(shared, 0, sizeof *shared);
	return shared;
}

void script_set_self_exe(int fd)
{
	self_exe = fd;
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
	self_path[n > 0 ? n : 0] = 0;
}

/* The path still names the very file the descriptor holds (device and inode), not whatever now sits there. */
static int self_path_is_self(void)
{
	struct stat by_fd, by_path;
	return self_path[0] && fstat(self_exe, &by_fd) == 0 && stat(self_path, &by_path) == 0 && by_fd.st_dev == by_path.st_dev &&
	       by_fd.st_ino == by_path.st_ino;
}

int var_get(const char *name, long long *value)
{
	int n = __atomic_load_n(&shared->nvars, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n && i < SCRIPT_MAX_VARS; i++) {
		if (__atomic_load_n(&shared->vars[i].ready, __ATOMIC_ACQUIRE) && strcmp(shared->vars[i].name, name) == 0) {
			*value = shared->vars[i].value;
			return 0;
		}
	}
	return -1;
}

/*
 * Appends: every label is set once, by the one process that ran its step. Processes of a script append
 * at the same time (a parent storing a fork's pid, the child a step's result), and any of them may be
 * SIGKILLed mid-way (init of a PID namespace whose member called reboot), so a slot is reserved by an
 * atomic increment rather than under a lock that could die with its holder.
 */
void var_set(const char *name, long long value)
{
	int i = __atomic_fetch_add(&shared->nvars, 1, __ATOMIC_ACQ_REL);
	if (i >= SCRIPT_MAX_VARS)
		return;
	snprintf(shared->vars[i].name, sizeof shared->vars[i].name, "%s", name);
	shared->vars[i].value = value;
	__atomic_store_n(&shared->vars[i].ready, 1, __ATOMIC_RELEASE);
}

/*
 * Why an argument the current step's op asked for could not be given (a $label or {label} whose step failed or
 * has not run, a missing or malformed number): the op's answer is then the observer's, not the kernel's.
 */
static char unresolved[SCRIPT_LABEL + 64];

/* A label of this script, or a var a step derives from one (LABEL_0, LABEL_1, LABEL_pidfd). */
static int is_script_var(const char *name)
{
	static const char *const suffixes[] = {"", "_0", "_1", "_pidfd"};
	for (int i = 0; i < script->nsteps; i++) {
		size_t n = strlen(script->steps[i].label);
		if (n == 0 || strncmp(name, script->steps[i].label, n) != 0)
			continue;
		for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
			if (strcmp(name + n, suffixes[k]) == 0)
				return 1;
	}
	return 0;
}

static char arg_buffers[4][4096];
static int arg_cut; /* set when an argument did not fit its buffer once substituted */

const char *arg_text(const struct step *st, int i, int slot)
{
	if (i >= st->argc)
		return "";
	const char *src = st->argv[i];
	char *out = arg_buffers[slot & 3];
	size_t n = 0;
	while (*src && n + 1 < sizeof arg_buffers[0]) {
		const char *close = *src == '{' ? strchr(src, '}') : NULL;
		if (close && close - src <= SCRIPT_VAR_NAME) {
			char name[SCRIPT_VAR_NAME];
			long long value;
			snprintf(name, sizeof name, "%.*s", (int)(close - src - 1), src + 1);
			if (strcmp(name, "scratch") == 0) {
				n += (size_t)snprintf(out + n, sizeof arg_buffers[0] - n, "%s", scratch_dir);
				src = close + 1;
				continue;
			}
			/* Without a case cgroup it stays as written: a relative path, which the guard refuses to write. */
			if (strcmp(name, "cgroup") == 0 && case_cgroup_path()) {
				n += (size_t)snprintf(out + n, sizeof arg_buffers[0] - n, "%s", case_cgroup_path());
				src = close + 1;
				continue;
			}
			if (var_get(name, &value) == 0) {
				n += (size_t)snprintf(out + n, sizeof arg_buffers[0] - n, "%lld", value);
				src = close + 1;
				continue;
			}
			if (is_script_var(name))
				snprintf(unresolved, sizeof unresolved, "unresolved reference: step %s has no result", name);
		}
		out[n++] = *src++;
	}
	if (*src || n >= sizeof arg_buffers[0])
		arg_cut = 1;
	out[n < sizeof arg_buffers[0] ? n : sizeof arg_buffers[0] - 1] = '\0';
	return out;
}

long long arg_number(const struct step *st, int i, int *ok)
{
	long long value = 0;
	*ok = 1;
	if (i >= st->argc) {
		*ok = 0;
		snprintf(unresolved, sizeof unresolved, "argument %d is missing", i + 1);
		return 0;
	}
	const char *text = st->argv[i];
	if (text[0] == '$') {
		if (var_get(text + 1, &value)) {
			*ok = 0;
			snprintf(unresolved, sizeof unresolved, "unresolved reference: step %s has no result", text + 1);
		}
		return value;
	}
	char *end;
	errno = 0;
	value = strtoll(text, &end, 0);
	if (errno == ERANGE)
		value = (long long)strtoull(text, &end, 0);
	if (*text == '\0' || *end) {
		*ok = 0;
		snprintf(unresolved, sizeof unresolved, "argument %d is not a number: %.24s", i + 1, text);
	}
	return value;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char record_buf[RECORD_MAX];
static const char *record_label; /* the step being recorded, for a record that overflows */

long long guard_refusal(struct json *j, const char *why)
{
	json_key(j, "guard");
	json_string(j, why);
	return -EACCES;
}

static void begin_record(struct json *j, const char *label)
{
	record_label = label;
	json_init(j, record_buf, sizeof record_buf - 2);
	json_begin_object(j);
	json_key(j, "l");
	json_string(j, label);
	json_key(j, "p");
	json_string(j, proc_name);
}

static void finish_record(struct json *j, long long ret)
{
	json_key(j, "r");
	json_int(j, ret < 0 ? -1 : ret);
	if (ret < 0) {
		json_key(j, "e");
		json_string(j, errno_name((int)-ret));
	}
	json_end_object(j);
	if (j->overflow) {
		/* Keep the step's result even when its fields did not fit. */
		json_init(j, record_buf, sizeof record_buf - 2);
		json_begin_object(j);
		json_key(j, "l");
		json_string(j, record_label);
		json_key(j, "overflow");
		json_bool(j, 1);
		json_key(j, "p");
		json_string(j, proc_name);
		json_key(j, "r");
		json_int(j, ret < 0 ? -1 : ret);
		if (ret < 0) {
			json_key(j, "e");
			json_string(j, errno_name((int)-ret));
		}
		json_end_object(j);
	}
	record_buf[j->len] = '\n';
	write_all(report, record_buf, j->len + 1);
}

static void simple_record(const char *label, long long ret, const char *key, const char *text)
{
	struct json j;
	begin_record(&j, label);
	if (key) {
		json_key(&j, key);
		json_string(&j, text);
	}
	finish_record(&j, ret);
}

static void *idle_thread(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

static void run_range(int from, int to);
static int event_index(const struct step *st);

/*
 * A block whose fork failed never posts its events: post each one as "never" (byte 0), so the steps
 * awaiting them end at once with ECHILD instead of waiting out the deadline.
 */
static void post_never(int from, int to)
{
	for (int i = from; i < to; i++) {
		const struct step *inner = &script->steps[i];
		int e = strcmp(inner->op, "post") == 0 ? event_index(inner) : -1;
		char never = 0;
		if (e >= 0 && write(events[e][1], &never, 1) != 1)
			continue;
	}
}

/* fork MODE FLAGS [EXIT_SIGNAL]: MODE clone (raw flags, exit signal included) or clone3; the block runs in the child. */
static void do_fork(int index)
{
	const struct step *st = &script->steps[index];
	int ok = 1, ok2 = 1;
	const char *mode = arg_text(st, 0, 0);
	unsigned long long flags = (unsigned long long)arg_number(st, 1, &ok);
	long long exit_signal = st->argc > 2 ? arg_number(st, 2, &ok2) : SIGCHLD;
	int was_own_mnt = guard_own_ns("mnt");
	int pidfd = -1;
	long pid;
	if (!ok || !ok2) {
		simple_record(st->label, -EINVAL, "bad", "fork MODE FLAGS [EXIT_SIGNAL]: bad number");
		return;
	}
	/* The child records the namespaces it is in before the parent goes on (and may setns into them). */
	int noted[2] = {-1, -1};
	if (pipe2(noted, O_CLOEXEC))
		noted[0] = noted[1] = -1;
	if (strcmp(mode, "clone3") == 0) {
		struct clone_args args;
		memset(&args, 0, sizeof args);
		args.flags = flags;
		args.exit_signal = (unsigned long long)exit_signal;
		if (flags & CLONE_PIDFD)
			args.pidfd = (unsigned long long)(unsigned long)&pidfd;
		pid = syscall(SYS_clone3, &args, sizeof args);
	} else if (strcmp(mode, "clone") == 0) {
		int parent_pidfd = -1;
		pid = syscall(SYS_clone, (unsigned long)flags, 0L, (flags & CLONE_PIDFD) ? &parent_pidfd : NULL, 0L, 0L);
		pidfd = parent_pidfd;
	} else {
		simple_record(st->label, -EINVAL, "bad", "fork MODE must be clone or clone3");
		return;
	}
	if (pid == 0) {
		guard_note_created((unsigned long)flags, 1);
		if (noted[1] >= 0) {
			close(noted[0]);
			close(noted[1]);
		}
		int privatized = guard_privatize_after((unsigned long)flags, was_own_mnt);
		snprintf(proc_name, sizeof proc_name, "%s", st->label);
		if (privatized < 0) {
			simple_record(st->label, privatized, "guard", "could not make / private in the new mount namespace; stopped");
			_exit(125);
		}
		run_range(index + 1, st->end);
		_exit(0);
	}
	long long ret = pid < 0 ? -errno : pid;
	if (noted[1] >= 0) {
		char byte;
		close(noted[1]);
		while (read(noted[0], &byte, 1) < 0 && errno == EINTR)
			;
		close(noted[0]);
	}
	if (pid < 0)
		post_never(index + 1, st->end);
	struct json j;
	begin_record(&j, st->label);
	if (pidfd >= 0) {
		char name[SCRIPT_VAR_NAME];
		snprintf(name, sizeof name, "%s_pidfd", st->label);
		var_set(name, pidfd);
		json_key(&j, "pidfd");
		json_int(&j, pidfd);
	}
	if (ret >= 0)
		var_set(st->label, ret);
	finish_record(&j, ret);
}

/* wait PID [OPTIONS]: waitpid with __WALL; the record says how the process ended. */
static long long do_wait(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1, status = 0;
	long long pid = arg_number(st, 0, &ok);
	long long options = st->argc > 1 ? arg_number(st, 1, &ok2) : 0;
	if (!ok || !ok2)
		return -EINVAL;
	pid_t got;
	while ((got = waitpid((pid_t)pid, &status, __WALL | (int)options)) < 0 && errno == EINTR)
		;
	if (got < 0)
		return -errno;
	if (got > 0 && WIFEXITED(status)) {
		json_key(j, "code");
		json_int(j, WEXITSTATUS(status));
	} else if (got > 0 && WIFSIGNALED(status)) {
		json_key(j, "signal");
		json_string(j, signal_name(WTERMSIG(status)));
	}
	return got;
}

static int event_index(const struct step *st)
{
	int ok = 1;
	long long n = arg_number(st, 0, &ok);
	return ok && n >= 0 && n < MAX_EVENTS ? (int)n : -1;
}

static long long do_post(const struct step *st)
{
	int e = event_index(st);
	if (e < 0)
		return -EINVAL;
	char byte = 1;
	return write(events[e][1], &byte, 1) == 1 ? 0 : -errno;
}

static long long do_await(const struct step *st)
{
	int e = event_index(st);
	char byte;
	if (e < 0)
		return -EINVAL;
	for (;;) {
		ssize_t n = read(events[e][0], &byte, 1);
		if (n == 1)
			return byte ? 0 : -ECHILD; /* 0: its poster's fork failed */
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -errno : -EPIPE;
	}
}

static long long do_sleep(const struct step *st)
{
	int ok = 1;
	long long ms = arg_number(st, 0, &ok);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	if (!ok || ms < 0)
		return -EINVAL;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return 0;
}

static long long do_thread(void)
{
	pthread_t thread;
	int err = pthread_create(&thread, NULL, idle_thread, NULL);
	return err ? -err : 0;
}

static long long do_exec(const struct step *st)
{
	char fd_text[16];
	snprintf(fd_text, sizeof fd_text, "%d", report);
	char *argv[] = {"nsconform-observer", "--exec-report", fd_text, (char *)st->label, proc_name, NULL};
	char *envp[] = {NULL};
	fcntl(report, F_SETFD, 0); /* the exec'd report writes to the same pipe */
	syscall(SYS_execveat, self_exe, "", argv, envp, AT_EMPTY_PATH);
	int by_fd = errno;
	/* 5.10 answers ENOENT for the O_PATH descriptor of a program on 9p (measured in nsconform vm); the path works. */
	if (by_fd == ENOENT && self_path_is_self())
		execve(self_path, argv, envp);
	return -by_fd;
}

/* Runs the inner op (arguments from index 2 on) until its outcome ("ok" or an errno name) is EXPECT or MS passed. */
static long long do_poll(const struct step *st, struct json *j)
{
	int ok = 1;
	const char *expect = st->argv[0];
	long long budget = arg_number(st, 1, &ok);
	if (st->argc < 3 || !ok)
		return -EINVAL;
	struct step inner = *st;
	inner.op = st->argv[2];
	inner.argc = st->argc - 3;
	for (int i = 0; i < inner.argc; i++)
		inner.argv[i] = st->argv[i + 3];
	op_fn fn = find_op(inner.op);
	if (!fn)
		return -ENOSYS;
	long long start = now_ms(), ret;
	int attempts = 0;
	size_t mark = j->len;
	unsigned count = j->count[j->depth];
	for (;;) {
		j->len = mark; /* only the last attempt's fields are kept */
		j->count[j->depth] = count;
		ret = fn(&inner, j);
		attempts++;
		/* EXPECT is "ok", an errno name, or "r=N" for a result of exactly N. */
		const char *outcome = ret >= 0 ? "ok" : errno_name((int)-ret);
		int met = strncmp(expect, "r=", 2) == 0 ? ret == strtoll(expect + 2, NULL, 10) : strcmp(outcome, expect) == 0;
		if (met || now_ms() - start >= budget)
			break;
		struct timespec pause = {0, 2000000};
		nanosleep(&pause, NULL);
	}
	json_key(j, "attempts");
	json_int(j, attempts);
	json_key(j, "elapsedMs");
	json_int(j, now_ms() - start);
	return ret;
}

/* The first argument too long for arg_text once substituted, or -1: an op must never run on a path cut short. */
static int cut_argument(const struct step *st)
{
	for (int i = 0; i < st->argc; i++) {
		arg_cut = 0;
		arg_text(st, i, 0);
		if (arg_cut)
			return i;
	}
	return -1;
}

/* The ops run here rather than through a function of their own: their descriptions, for --list-ops. */
NSC_BUILTIN(fork, "fork", "mode:clone|clone3 flags:int exitSignal:int?", "pidfd:int guard:text", "clones:mode:flags");
NSC_BUILTIN(wait, "wait", "pid:int options:int?", "code:int signal:text", "");
NSC_BUILTIN(post, "post", "event:int", "", "");
NSC_BUILTIN(await, "await", "event:int", "", "");
NSC_BUILTIN(sleep, "sleep", "ms:int", "", "");
NSC_BUILTIN(thread, "thread", "", "", "");
NSC_BUILTIN(exec, "exec", "", "text:text monoMs:int bootMs:int realMs:int", "");
NSC_BUILTIN(poll, "poll", "expect:expect withinMs:int op:op ...args:arg", "attempts:int elapsedMs:int", "polls:op");
NSC_BUILTIN(exit, "exit", "code:int", "", "");

static void run_step(const struct step *st)
{
	struct json j;
	long long ret;
	int cut = cut_argument(st);
	begin_record(&j, st->label);
	unresolved[0] = '\0';
	if (cut >= 0) {
		char why[96];
		snprintf(why, sizeof why, "argument %d is longer than %zu bytes once substituted", cut, sizeof arg_buffers[0] - 1);
		json_key(&j, "bad");
		json_string(&j, why);
		ret = -E2BIG;
	} else if (strcmp(st->op, "wait") == 0)
		ret = do_wait(st, &j);
	else if (strcmp(st->op, "post") == 0)
		ret = do_post(st);
	else if (strcmp(st->op, "await") == 0)
		ret = do_await(st);
	else if (strcmp(st->op, "sleep") == 0)
		ret = do_sleep(st);
	else if (strcmp(st->op, "thread") == 0)
		ret = do_thread();
	else if (strcmp(st->op, "exec") == 0)
		ret = do_exec(st);
	else if (strcmp(st->op, "poll") == 0)
		ret = do_poll(st, &j);
	else {
		op_fn fn = find_op(st->op);
		if (!fn) {
			json_key(&j, "bad");
			json_string(&j, "unknown op");
			ret = -ENOSYS;
		} else {
			ret = fn(st, &j);
		}
	}
	if (unresolved[0]) {
		/* The op ran on a made-up 0 or a literal "{label}", or gave up: what it reports is the observer's. */
		json_key(&j, "bad");
		json_string(&j, unresolved);
		ret = -EINVAL;
	}
	if (ret >= 0)
		var_set(st->label, ret);
	finish_record(&j, ret);
}

static void run_range(int from, int to)
{
	for (int i = from; i < to; i++) {
		const struct step *st = &script->steps[i];
		if (strcmp(st->op, "fork") == 0) {
			do_fork(i);
			i = st->end;
		} else if (strcmp(st->op, "exit") == 0) {
			int ok = 1;
			long long code = arg_number(st, 0, &ok);
			_exit(ok ? (int)code : 126);
		} else if (strcmp(st->op, "end") != 0) {
			run_step(st);
		}
	}
}

void script_run(const struct script *s, int report_fd, const char *scratch)
{
	script = s;
	report = report_fd;
	scratch_dir = scratch ? scratch : "";
	for (int i = 0; i < MAX_EVENTS; i++) {
		if (pipe2(events[i], O_CLOEXEC)) {
			simple_record("_start", -errno, "bad", "pipe for events");
			_exit(125);
		}
	}
	guard_init(scratch);
	/* stdout is the observer's protocol channel: nothing a script runs may write there. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup3(null, STDIN_FILENO, 0);
		dup3(null, STDOUT_FILENO, 0);
	}
	run_range(0, s->nsteps);
	/* Every step record begins {"l":, so no label or argument can end a script early; the observer then kills
	 * whatever the script left running. */
	write_all(report, SCRIPT_END_LINE "\n", sizeof SCRIPT_END_LINE);
	_exit(0);
}
