/*
 * Ops for the clone suite: clone()/clone3() calls whose child must not run any of the parent's code.
 *
 * The child of every call here executes only a few register-only instructions, getpid() then
 * exit(pid), so it touches no memory: it is safe even with CLONE_VM or CLONE_THREAD and no stack of
 * its own. Its exit code is therefore its PID in its own PID namespace (mod 256). A child that is a
 * process is reaped here (waitpid with __WALL) and its "code" reported; a thread just ends.
 *
 *   bareclone MODE FLAGS [EXIT_SIGNAL]   MODE clone (raw flags, exit signal in the low byte) or clone3
 *   bareclone3 h:HEX SIZE                 clone3(HEX bytes as struct clone_args, SIZE)
 *   settid FLAGS EXIT_SIGNAL TID...       clone3 with set_tid = {TID...}, set_tid_size = their count
 *   settiddeep FLAGS EXIT_SIGNAL OVER     clone3 with set_tid_size = PID depth + 1 + OVER, every entry 1;
 *                                         the depth is counted from NSpid in /proc/self/status
 */
#define _GNU_SOURCE
#include "compat.h"
#include "containment.h"
#include "facts.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SET_TID_MAX 40 /* above MAX_PID_NS_LEVEL (32) */
#define ARGS_MAX 512

/* nr(a0, a1, 0, 0, 0); in the child: exit(getpid()) without touching memory. */
static long bare_syscall_clone(long nr, long a0, long a1)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov %[getpid], %%eax\n\t"
			 "syscall\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov %[exit], %%eax\n\t"
			 "syscall\n\t"
			 "1:\n\t"
			 : "=a"(ret)
			 : "0"(nr), "D"(a0), "S"(a1), "d"(0L), "r"(r10), "r"(r8), [getpid] "i"(SYS_getpid), [exit] "i"(SYS_exit)
			 : "rcx", "r11", "memory");
	return ret;
#else
	(void)nr;
	(void)a0;
	(void)a1;
	return -ENOSYS;
#endif
}

/*
 * Reaps a process child and reports how it ended; a thread cannot be waited for. An init made with
 * CLONE_NEWPID|CLONE_SIGHAND sets SIGCHLD to SIG_IGN in the handler table it shares with us when it
 * exits (zap_pid_ns_processes), so it is reaped at once ("waitError") and the disposition is restored.
 */
static long long finish(long ret, unsigned long long flags, const struct sigaction *saved, struct json *j)
{
	if (ret < 0)
		return ret;
	if (flags & CLONE_THREAD) {
		json_key(j, "thread");
		json_bool(j, 1);
		return ret;
	}
	int status = 0;
	pid_t got;
	while ((got = waitpid((pid_t)ret, &status, __WALL)) < 0 && errno == EINTR)
		;
	if (got < 0) {
		json_key(j, "waitError");
		json_string(j, errno_name(errno));
	}
	sigaction(SIGCHLD, saved, NULL);
	if (got == (pid_t)ret && WIFEXITED(status)) {
		json_key(j, "code");
		json_int(j, WEXITSTATUS(status));
	} else if (got == (pid_t)ret && WIFSIGNALED(status)) {
		json_key(j, "signal");
		json_int(j, WTERMSIG(status));
	}
	return ret;
}

static long long clone_with(long nr, long a0, long a1, unsigned long long flags, struct json *j)
{
	struct sigaction saved;
	sigaction(SIGCHLD, NULL, &saved);
	return finish(bare_syscall_clone(nr, a0, a1), flags, &saved, j);
}

static long long clone3_with(struct clone_args *args, size_t size, struct json *j)
{
	return clone_with(SYS_clone3, (long)args, (long)size, args->flags, j);
}

static long long op_bareclone(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1;
	const char *mode = arg_text(st, 0, 0);
	unsigned long long flags = (unsigned long long)arg_number(st, 1, &ok);
	long long exit_signal = st->argc > 2 ? arg_number(st, 2, &ok2) : SIGCHLD;
	if (!ok || !ok2)
		return -EINVAL;
	if (strcmp(mode, "clone") == 0)
		return clone_with(SYS_clone, (long)flags, 0, flags, j);
	if (strcmp(mode, "clone3") != 0)
		return -EINVAL;
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = flags;
	args.exit_signal = (unsigned long long)exit_signal;
	return clone3_with(&args, sizeof args, j);
}

static long long op_bareclone3(const struct step *st, struct json *j)
{
	static unsigned char buf[ARGS_MAX] __attribute__((aligned(8)));
	const char *hex = st->argc > 0 ? st->argv[0] : "";
	int ok = 1;
	long long size = arg_number(st, 1, &ok);
	size_t n = 0;
	if (!ok || strncmp(hex, "h:", 2) || size < 0 || size > ARGS_MAX)
		return -EINVAL;
	memset(buf, 0, sizeof buf);
	for (const char *p = hex + 2; p[0] && p[1] && n < ARGS_MAX; p += 2) {
		int hi = hexval(p[0]), lo = hexval(p[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		buf[n++] = (unsigned char)(hi * 16 + lo);
	}
	unsigned long long flags;
	memcpy(&flags, buf, sizeof flags);
	return clone_with(SYS_clone3, (long)buf, (long)size, flags, j);
}

static long long settid_call(unsigned long long flags, long long exit_signal, const pid_t *tids, size_t count, struct json *j)
{
	struct clone_args args;
	memset(&args, 0, sizeof args);
	args.flags = flags;
	args.exit_signal = (unsigned long long)exit_signal;
	args.set_tid = (unsigned long long)(unsigned long)tids;
	args.set_tid_size = count;
	json_key(j, "setTidSize");
	json_uint(j, count);
	return clone3_with(&args, sizeof args, j);
}

static long long op_settid(const struct step *st, struct json *j)
{
	static pid_t tids[SET_TID_MAX];
	int ok = 1, ok2 = 1;
	unsigned long long flags = (unsigned long long)arg_number(st, 0, &ok);
	long long exit_signal = arg_number(st, 1, &ok2);
	size_t count = 0;
	if (!ok || !ok2)
		return -EINVAL;
	for (int i = 2; i < st->argc && count < SET_TID_MAX; i++) {
		tids[count++] = (pid_t)arg_number(st, i, &ok);
		if (!ok)
			return -EINVAL;
	}
	return settid_call(flags, exit_signal, tids, count, j);
}

/* The caller's PID-namespace depth: the number of NSpid fields minus 1 (spec §2 note 3). */
static int pid_depth(void)
{
	static char status[4096];
	long n = read_text("/proc/self/status", status, sizeof status);
	if (n < 0)
		return -1;
	const char *line = strstr(status, "\nNSpid:");
	if (!line)
		return -1;
	int fields = 0, in_field = 0;
	for (const char *p = line + 7; *p && *p != '\n'; p++) {
		int digit = *p >= '0' && *p <= '9';
		if (digit && !in_field)
			fields++;
		in_field = digit;
	}
	return fields - 1 + containment_depth_offset(); /* from the host's level, not the case's */
}

static long long op_settiddeep(const struct step *st, struct json *j)
{
	static pid_t tids[SET_TID_MAX];
	int ok = 1, ok2 = 1, ok3 = 1;
	unsigned long long flags = (unsigned long long)arg_number(st, 0, &ok);
	long long exit_signal = arg_number(st, 1, &ok2);
	long long over = arg_number(st, 2, &ok3);
	int depth = pid_depth();
	if (!ok || !ok2 || !ok3 || depth < 0)
		return -EINVAL;
	long long count = depth + 1 + over;
	if (count < 1 || count > SET_TID_MAX)
		return -EINVAL;
	for (long long i = 0; i < count; i++)
		tids[i] = 1;
	json_key(j, "depth");
	json_int(j, depth);
	return settid_call(flags, exit_signal, tids, (size_t)count, j);
}

NSC_OP("bareclone", op_bareclone, "mode:clone|clone3 flags:int exitSignal:int?", "thread:bool waitError:text code:int signal:text", "machine:x86_64 clones:mode:flags");
NSC_OP("bareclone3", op_bareclone3, "args:hex size:int", "thread:bool waitError:text code:int signal:text", "machine:x86_64 call:clone3");
NSC_OP("settid", op_settid, "flags:int exitSignal:int ...tids:int", "setTidSize:int thread:bool waitError:text code:int signal:text", "machine:x86_64 call:clone3");
NSC_OP("settiddeep", op_settiddeep, "flags:int exitSignal:int over:int", "depth:int setTidSize:int thread:bool waitError:text code:int signal:text", "machine:x86_64 call:clone3");
