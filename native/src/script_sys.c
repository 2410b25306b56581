/*
 * sys NAME ARG...: one raw system call. Arguments: numbers, $label (a step's result), s:TEXT (a string,
 * {label} substituted), o:N (an N-byte zeroed buffer) and h:HEX (a buffer with these bytes); buffers are
 * reported back as hex in "b" after the call. The host guard sees every call first.
 */
#define _GNU_SOURCE
#include "compat.h"
#include "guard_files.h"
#include "host_guard.h"
#include "journal.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BUF_MAX 512

NSC_OP("sys", op_sys, "name:syscall ...args:arg", "b:list guard:text", "sys:name");

/* Only calls the suites need; anything else is refused as unknown. */
NSC_SYSCALL("unshare", SYS_unshare);
NSC_SYSCALL("setns", SYS_setns);
NSC_SYSCALL("ioctl", SYS_ioctl);
NSC_SYSCALL("openat", SYS_openat);
NSC_SYSCALL("close", SYS_close);
NSC_SYSCALL("sethostname", SYS_sethostname);
NSC_SYSCALL("setdomainname", SYS_setdomainname);
NSC_SYSCALL("mount", SYS_mount);
NSC_SYSCALL("umount2", SYS_umount2);
NSC_SYSCALL("pivot_root", SYS_pivot_root);
NSC_SYSCALL("chroot", SYS_chroot);
NSC_SYSCALL("chdir", SYS_chdir);
NSC_SYSCALL("fchdir", SYS_fchdir);
NSC_SYSCALL("mkdir", SYS_mkdir);
NSC_SYSCALL("rmdir", SYS_rmdir);
NSC_SYSCALL("unlink", SYS_unlink);
NSC_SYSCALL("symlink", SYS_symlink);
NSC_SYSCALL("mknod", SYS_mknod);
NSC_SYSCALL("chown", SYS_chown);
NSC_SYSCALL("chmod", SYS_chmod);
NSC_SYSCALL("msgget", SYS_msgget);
NSC_SYSCALL("msgctl", SYS_msgctl);
NSC_SYSCALL("msgsnd", SYS_msgsnd);
NSC_SYSCALL("msgrcv", SYS_msgrcv);
NSC_SYSCALL("semget", SYS_semget);
NSC_SYSCALL("semctl", SYS_semctl);
NSC_SYSCALL("semop", SYS_semop);
NSC_SYSCALL("shmget", SYS_shmget);
NSC_SYSCALL("shmctl", SYS_shmctl);
NSC_SYSCALL("mq_open", SYS_mq_open);
NSC_SYSCALL("mq_unlink", SYS_mq_unlink);
NSC_SYSCALL("socket", SYS_socket);
NSC_SYSCALL("bind", SYS_bind);
NSC_SYSCALL("connect", SYS_connect);
NSC_SYSCALL("listen", SYS_listen);
NSC_SYSCALL("accept4", SYS_accept4);
NSC_SYSCALL("sendto", SYS_sendto);
NSC_SYSCALL("recvfrom", SYS_recvfrom);
NSC_SYSCALL("setsockopt", SYS_setsockopt);
NSC_SYSCALL("getsockname", SYS_getsockname);
NSC_SYSCALL("kill", SYS_kill);
NSC_SYSCALL("reboot", SYS_reboot);
NSC_SYSCALL("getpid", SYS_getpid);
NSC_SYSCALL("getppid", SYS_getppid);
NSC_SYSCALL("gettid", SYS_gettid);
NSC_SYSCALL("getuid", SYS_getuid);
NSC_SYSCALL("geteuid", SYS_geteuid);
NSC_SYSCALL("getgid", SYS_getgid);
NSC_SYSCALL("getegid", SYS_getegid);
NSC_SYSCALL("setuid", SYS_setuid);
NSC_SYSCALL("setgid", SYS_setgid);
NSC_SYSCALL("setresuid", SYS_setresuid);
NSC_SYSCALL("setresgid", SYS_setresgid);
NSC_SYSCALL("setgroups", SYS_setgroups);
NSC_SYSCALL("getgroups", SYS_getgroups);
NSC_SYSCALL("capget", SYS_capget);
NSC_SYSCALL("capset", SYS_capset);
NSC_SYSCALL("prctl", SYS_prctl);
NSC_SYSCALL("pidfd_open", SYS_pidfd_open);
NSC_SYSCALL("pidfd_send_signal", SYS_pidfd_send_signal);
NSC_SYSCALL("clone", SYS_clone);
NSC_SYSCALL("clone3", SYS_clone3);
NSC_SYSCALL("fork", SYS_fork);
NSC_SYSCALL("clock_gettime", SYS_clock_gettime);
NSC_SYSCALL("clock_getres", SYS_clock_getres);
NSC_SYSCALL("clock_settime", SYS_clock_settime);
NSC_SYSCALL("lseek", SYS_lseek);
NSC_SYSCALL("read", SYS_read);
NSC_SYSCALL("write", SYS_write);
NSC_SYSCALL("pwrite64", SYS_pwrite64);
NSC_SYSCALL("dup", SYS_dup);
NSC_SYSCALL("fcntl", SYS_fcntl);
NSC_SYSCALL("getpgid", SYS_getpgid);
NSC_SYSCALL("sched_yield", SYS_sched_yield);
NSC_SYSCALL("personality", SYS_personality);
NSC_SYSCALL("fstatfs", SYS_fstatfs);
NSC_SYSCALL("statfs", SYS_statfs);
NSC_SYSCALL("mount_setattr", SYS_mount_setattr);
NSC_SYSCALL("open_tree", SYS_open_tree);
NSC_SYSCALL("move_mount", SYS_move_mount);
NSC_SYSCALL("fsopen", SYS_fsopen);
NSC_SYSCALL("fsconfig", SYS_fsconfig);
NSC_SYSCALL("fsmount", SYS_fsmount);
NSC_SYSCALL("kcmp", SYS_kcmp);
NSC_SYSCALL("tgkill", SYS_tgkill);
NSC_SYSCALL("tkill", SYS_tkill);
NSC_SYSCALL("rt_sigqueueinfo", SYS_rt_sigqueueinfo);
NSC_SYSCALL("rt_tgsigqueueinfo", SYS_rt_tgsigqueueinfo);

extern const struct sys_entry __start_nsc_syscalls[], __stop_nsc_syscalls[];

long find_syscall(const char *name)
{
	for (const struct sys_entry *entry = __start_nsc_syscalls; entry < __stop_nsc_syscalls; entry++)
		if (strcmp(entry->name, name) == 0)
			return entry->nr;
	return -1;
}

static char *buffers[6];
static size_t buffer_len[6];

/*
 * Each o:/h: buffer ends where an inaccessible page begins: a length argument larger than the buffer makes the
 * kernel fail with EFAULT rather than write over this process's memory. 0, or -errno when the pages are not there.
 */
static int map_buffers(void)
{
	static char *area;
	long page = sysconf(_SC_PAGESIZE);
	if (area)
		return 0;
	if (page < BUF_MAX)
		return -EINVAL;
	area = mmap(NULL, (size_t)page * 12, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		area = NULL;
		return -errno;
	}
	for (int i = 0; i < 6; i++) {
		mprotect(area + (size_t)page * (2 * i + 1), (size_t)page, PROT_NONE);
		buffers[i] = area + (size_t)page * (2 * i + 1) - BUF_MAX;
	}
	return 0;
}
static char strings[6][4096];

/* Whether a get call made a new object for sure: IPC_PRIVATE, or IPC_CREAT with IPC_EXCL (an existing key fails). */
static int made_new(long long key, long long flags)
{
	return key == IPC_PRIVATE || ((flags & IPC_CREAT) && (flags & IPC_EXCL));
}

/* The flags argument of a get call that may create; -1 for other calls. */
static int create_flags_arg(const char *name)
{
	return !strcmp(name, "msgget") || !strcmp(name, "mq_open") ? 1 : !strcmp(name, "semget") || !strcmp(name, "shmget") ? 2 : -1;
}

/*
 * In the IPC namespace the script started in, a get with IPC_CREAT (O_CREAT) but not IPC_EXCL (O_EXCL) is run
 * as an exclusive create first and, when the object exists, as the plain open it asked for: the same result,
 * and the script's own objects are told apart from ones that were there before. *created says which.
 */
static long sys_get(const char *name, long nr, long long *a, int *created)
{
	int fa = create_flags_arg(name);
	long long excl = !strcmp(name, "mq_open") ? 0200 /* O_EXCL */ : IPC_EXCL;
	long long creat = !strcmp(name, "mq_open") ? 0100 /* O_CREAT */ : IPC_CREAT;
	*created = 0;
	if (fa < 0 || guard_own_ns("ipc"))
		return syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if ((a[fa] & creat) && !(a[fa] & excl)) {
		long long tried[6] = {a[0], a[1], a[2], a[3], a[4], a[5]};
		tried[fa] |= excl;
		long ret = syscall(nr, tried[0], tried[1], tried[2], tried[3], tried[4], tried[5]);
		if (ret >= 0 || errno != EEXIST) {
			*created = ret >= 0;
			return ret;
		}
		return syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	*created = ret >= 0 && (strcmp(name, "mq_open") ? made_new(a[0], a[fa]) : (a[fa] & creat) && (a[fa] & excl));
	return ret;
}

/* Only objects the script certainly made, in the IPC namespace it started in, are removed after it. */
static void track_created(const char *name, long long ret, const long long *a, int created)
{
	struct script_shared *sh = script_shared();
	if (ret < 0 || !created)
		return;
	int tracked = sh->nmsg + sh->nsem + sh->nshm + sh->nmq;
	if (!strcmp(name, "msgget") && sh->nmsg < SCRIPT_MAX_TRACKED)
		sh->msg_ids[sh->nmsg++] = (int)ret;
	else if (!strcmp(name, "semget") && sh->nsem < SCRIPT_MAX_TRACKED)
		sh->sem_ids[sh->nsem++] = (int)ret;
	else if (!strcmp(name, "shmget") && sh->nshm < SCRIPT_MAX_TRACKED)
		sh->shm_ids[sh->nshm++] = (int)ret;
	else if (!strcmp(name, "mq_open") && sh->nmq < SCRIPT_MAX_TRACKED)
		snprintf(sh->mq_names[sh->nmq++], sizeof sh->mq_names[0], "%s", (const char *)(long)a[0]);
	/* Journaled at once, so a kill of the observer before its cleanup still leaves the object named. */
	if (sh->nmsg + sh->nsem + sh->nshm + sh->nmq > tracked) {
		if (!strcmp(name, "mq_open"))
			journal_note("mq %s", (const char *)(long)a[0]);
		else
			journal_note("%.3s %lld %#x", name, ret, (unsigned)a[0]);
	}
}

long long op_sys(const struct step *st, struct json *j)
{
	long long a[6] = {0};
	int nbuf = 0, nstr = 0, bufslot[6], nargs = st->argc - 1;
	const char *name = st->argc ? st->argv[0] : "";
	long nr = find_syscall(name);
	if (nr < 0 || nargs > 6) {
		json_key(j, "bad");
		json_string(j, nr < 0 ? "unknown syscall" : "more than 6 arguments");
		return -ENOSYS;
	}
	int mapped = map_buffers();
	if (mapped < 0)
		return mapped;
	for (int i = 0; i < nargs; i++) {
		const char *arg = st->argv[i + 1];
		bufslot[i] = -1;
		if (!strncmp(arg, "s:", 2)) {
			struct step one = *st;
			one.argv[0] = arg + 2;
			snprintf(strings[nstr], sizeof strings[0], "%s", arg_text(&one, 0, 3));
			a[i] = (long long)(long)strings[nstr++];
		} else if (!strncmp(arg, "o:", 2) || !strncmp(arg, "h:", 2)) {
			char *buf = buffers[nbuf];
			size_t n = 0;
			memset(buf, 0, BUF_MAX);
			if (arg[0] == 'o') {
				int ok = 1;
				struct step one = *st;
				one.argv[0] = arg + 2;
				long long size = arg_number(&one, 0, &ok);
				if (!ok || size < 0 || size > BUF_MAX)
					return -EINVAL;
				n = (size_t)size;
			} else {
				size_t digits = strlen(arg + 2);
				if (digits % 2 || digits / 2 > BUF_MAX) {
					json_key(j, "bad");
					json_string(j, "h: needs an even number of hex digits, at most 512 bytes");
					return -EINVAL;
				}
				for (const char *p = arg + 2; p[0] && p[1]; p += 2) {
					int hi = hexval(p[0]), lo = hexval(p[1]);
					if (hi < 0 || lo < 0)
						return -EINVAL;
					buf[n++] = (char)(hi * 16 + lo);
				}
			}
			buffer_len[nbuf] = n;
			bufslot[i] = nbuf;
			a[i] = (long long)(long)buffers[nbuf++];
		} else {
			int ok = 1;
			struct step one = *st;
			one.argv[0] = arg;
			a[i] = arg_number(&one, 0, &ok);
			if (!ok) {
				json_key(j, "bad");
				json_string(j, "argument is not a number, $label, s:, o: or h:");
				return -EINVAL;
			}
		}
	}
	const char *refused = guard_syscall(name, a, nargs);
	long long result;
	long ret;
	int created = 0;
	if (refused)
		return guard_refusal(j, refused);
	int was_own_mnt = guard_own_ns("mnt");
	if (guard_path_call(name, a, nargs, &result, &refused)) {
		if (refused)
			return guard_refusal(j, refused);
		ret = result < 0 ? -1 : (long)result;
	} else {
		ret = sys_get(name, nr, a, &created);
		result = ret < 0 ? -errno : ret;
	}
	if (ret == 0 && (!strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork")))
		_exit(0); /* a call expected to fail succeeded: the copy must not run the parent's script */
	guard_note_call(name, a, nargs, result);
	if (ret == 0 && !strcmp(name, "unshare")) {
		int privatized = guard_privatize_after((unsigned long)a[0], was_own_mnt);
		if (privatized < 0) {
			json_key(j, "guard");
			json_string(j, "could not make / private in the new mount namespace; stopped");
			return privatized;
		}
	}
	track_created(name, result, a, created);
	if (nbuf) {
		json_key(j, "b");
		json_begin_array(j);
		for (int i = 0; i < nargs; i++) {
			if (bufslot[i] < 0)
				continue;
			char hex[2 * 256 + 1];
			size_t n = buffer_len[bufslot[i]] > 256 ? 256 : buffer_len[bufslot[i]];
			for (size_t k = 0; k < n; k++)
				snprintf(hex + 2 * k, 3, "%02x", (unsigned char)buffers[bufslot[i]][k]);
			hex[2 * n] = '\0';
			json_string(j, hex);
		}
		json_end_array(j);
	}
	return result;
}
