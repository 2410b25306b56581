/* Script ops that read or write files and gather composite facts; each records fields and returns >= 0 or -errno. */
#define _GNU_SOURCE
#include "facts.h"
#include "guard_files.h"
#include "io.h"
#include "names.h"
#include "script_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEXT_MAX 2800

static char text[TEXT_MAX + 1];

static void text_field(struct json *j, const char *key, const char *value, size_t n)
{
	json_key(j, key);
	json_string_n(j, value, n);
}

/* read PATH: the file's first bytes as "text". */
static long long op_read(const struct step *st, struct json *j)
{
	long n = read_text(arg_text(st, 0, 0), text, sizeof text);
	if (n < 0)
		return n;
	text_field(j, "text", text, (size_t)n);
	return n;
}

/* readlink PATH: the link target as "text". */
static long long op_readlink(const struct step *st, struct json *j)
{
	ssize_t n = readlink(arg_text(st, 0, 0), text, TEXT_MAX);
	if (n < 0)
		return -errno;
	text_field(j, "text", text, (size_t)n);
	return n;
}

static void stat_fields(struct json *j, const struct stat *s)
{
	json_key(j, "dev");
	json_uint(j, s->st_dev);
	json_key(j, "ino");
	json_uint(j, s->st_ino);
	json_key(j, "mode");
	json_uint(j, s->st_mode);
	json_key(j, "uid");
	json_uint(j, s->st_uid);
	json_key(j, "gid");
	json_uint(j, s->st_gid);
}

/* stat PATH, lstat PATH, fstat FD: dev, ino, mode, uid, gid. */
static long long op_stat(const struct step *st, struct json *j)
{
	struct stat s;
	int ok = 1, rc;
	if (strcmp(st->op, "fstat") == 0) {
		long long fd = arg_number(st, 0, &ok);
		if (!ok)
			return -EINVAL;
		rc = fstat((int)fd, &s);
	} else if (strcmp(st->op, "lstat") == 0) {
		rc = lstat(arg_text(st, 0, 0), &s);
	} else {
		rc = stat(arg_text(st, 0, 0), &s);
	}
	if (rc)
		return -errno;
	stat_fields(j, &s);
	return 0;
}

/* readdir PATH: the entry names (without . and ..) as "names". */
static long long op_readdir(const struct step *st, struct json *j)
{
	DIR *dir = opendir(arg_text(st, 0, 0));
	long long count = 0;
	if (!dir)
		return -errno;
	json_key(j, "names");
	json_begin_array(j);
	for (struct dirent *entry; (entry = readdir(dir));) {
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
			json_string(j, entry->d_name);
			count++;
		}
	}
	json_end_array(j);
	closedir(dir);
	return count;
}

/*
 * write PATH DATA [OFFSET]: open O_WRONLY, lseek to OFFSET when given, one write() of DATA.
 * pwrite PATH DATA OFFSET: the same through pwrite(). "stage" names the call that failed.
 */
static long long op_write(const struct step *st, struct json *j)
{
	char path[4096];
	int ok = 1;
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	const char *data = arg_text(st, 1, 1);
	long long offset = st->argc > 2 ? arg_number(st, 2, &ok) : 0;
	const char *refused = NULL;
	if (!ok)
		return -EINVAL;
	int fd = guard_open(path, O_WRONLY | O_CLOEXEC, 0, &refused);
	if (refused)
		return guard_refusal(j, refused);
	if (fd < 0)
		errno = -fd;
	const char *stage = "open";
	long long ret;
	if (fd < 0) {
		ret = -errno;
	} else if (strcmp(st->op, "pwrite") == 0) {
		stage = "pwrite";
		ssize_t n = pwrite(fd, data, strlen(data), (off_t)offset);
		ret = n < 0 ? -errno : n;
	} else if (st->argc > 2 && lseek(fd, (off_t)offset, SEEK_SET) < 0) {
		stage = "lseek";
		ret = -errno;
	} else {
		stage = "write";
		ssize_t n = write(fd, data, strlen(data));
		ret = n < 0 ? -errno : n;
	}
	if (fd >= 0)
		close(fd);
	json_key(j, "stage");
	json_string(j, stage);
	return ret;
}

void write_clocks(struct json *j)
{
	static const struct {
		const char *key;
		clockid_t id;
	} CLOCKS[] = {{"monoMs", CLOCK_MONOTONIC}, {"bootMs", CLOCK_BOOTTIME}, {"realMs", CLOCK_REALTIME}};
	for (size_t i = 0; i < sizeof CLOCKS / sizeof CLOCKS[0]; i++) {
		struct timespec ts;
		json_key(j, CLOCKS[i].key);
		if (clock_gettime(CLOCKS[i].id, &ts) == 0)
			json_int(j, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
		else
			json_null(j);
	}
}

/* clocks: CLOCK_MONOTONIC, CLOCK_BOOTTIME and CLOCK_REALTIME in ms. */
static long long op_clocks(const struct step *st, struct json *j)
{
	(void)st;
	write_clocks(j);
	return 0;
}

/*
 * instant: CLOCK_MONOTONIC in µs ("monoUs") and how long this thread has so far waited for a CPU ("waitUs", the
 * run_delay of /proc/thread-self/schedstat; absent without schedstats). Two instants bracket a reading in time a
 * loaded host cannot hide: the clock says how late the reading was, the wait says how much of that was the queue.
 */
static long long op_instant(const struct step *st, struct json *j)
{
	struct timespec ts;
	char stat[128];
	(void)st;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -errno;
	json_key(j, "monoUs");
	json_int(j, (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	char *wait = read_text("/proc/thread-self/schedstat", stat, sizeof stat) > 0 ? strchr(stat, ' ') : NULL;
	if (wait && wait[1] >= '0' && wait[1] <= '9') {
		json_key(j, "waitUs");
		json_int(j, strtoll(wait + 1, NULL, 10) / 1000);
	}
	return 0;
}

/* facts: everything the matrix child records (ids, caps, namespaces, NSpid, hostname, interfaces, maps, ...). */
static long long op_facts(const struct step *st, struct json *j)
{
	(void)st;
	json_key(j, "facts");
	json_begin_object(j);
	write_facts(j, script_scratch());
	json_end_object(j);
	return 0;
}

/* probe FLAGS: a throw-away child calls unshare(FLAGS) and exits; the result is that unshare's. */
static long long op_probe(const struct step *st, struct json *j)
{
	int ok = 1, status = 0;
	long long flags = arg_number(st, 0, &ok);
	(void)j;
	if (!ok)
		return -EINVAL;
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(syscall(SYS_unshare, (unsigned long)flags) == 0 ? 0 : errno);
	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status))
		return -EINTR;
	return WEXITSTATUS(status) ? -WEXITSTATUS(status) : 0;
}

/* socketpair: an AF_UNIX stream pair with SO_PASSCRED on both ends; vars LABEL_0 and LABEL_1. */
static long long op_socketpair(const struct step *st, struct json *j)
{
	int fds[2], on = 1;
	char name[SCRIPT_VAR_NAME];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		return -errno;
	setsockopt(fds[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
	setsockopt(fds[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof name, "%s_%d", st->label, i);
		var_set(name, fds[i]);
	}
	json_key(j, "fds");
	json_begin_array(j);
	json_int(j, fds[0]);
	json_int(j, fds[1]);
	json_end_array(j);
	return 0;
}

/* sendcred FD: one byte with SCM_CREDENTIALS carrying the sender's own pid, uid and gid. */
static long long op_sendcred(const struct step *st, struct json *j)
{
	int ok = 1;
	long long fd = arg_number(st, 0, &ok);
	(void)j;
	if (!ok)
		return -EINVAL;
	struct ucred cred = {getpid(), getuid(), getgid()};
	char byte = 'c';
	struct iovec iov = {&byte, 1};
	union {
		char buf[CMSG_SPACE(sizeof cred)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_CREDENTIALS;
	cmsg->cmsg_len = CMSG_LEN(sizeof cred);
	memcpy(CMSG_DATA(cmsg), &cred, sizeof cred);
	ssize_t n = sendmsg((int)fd, &msg, 0);
	return n < 0 ? -errno : n;
}

/* recvcred FD: receives one byte and reports the SCM_CREDENTIALS pid, uid and gid as this process sees them. */
static long long op_recvcred(const struct step *st, struct json *j)
{
	int ok = 1;
	long long fd = arg_number(st, 0, &ok);
	if (!ok)
		return -EINVAL;
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
	ssize_t n = recvmsg((int)fd, &msg, 0);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;
			memcpy(&cred, CMSG_DATA(cmsg), sizeof cred);
			json_key(j, "pid");
			json_int(j, cred.pid);
			json_key(j, "uid");
			json_uint(j, cred.uid);
			json_key(j, "gid");
			json_uint(j, cred.gid);
		}
	}
	return n;
}

/* Aliases, so each registered entry has its own name. */
static long long op_lstat(const struct step *st, struct json *j)
{
	return op_stat(st, j);
}

static long long op_fstat(const struct step *st, struct json *j)
{
	return op_stat(st, j);
}

static long long op_pwrite(const struct step *st, struct json *j)
{
	return op_write(st, j);
}

NSC_OP("read", op_read, "path:text", "text:text", "");
NSC_OP("readlink", op_readlink, "path:text", "text:text", "");
NSC_OP("stat", op_stat, "path:text", "dev:int ino:int mode:int uid:int gid:int", "");
NSC_OP("lstat", op_lstat, "path:text", "dev:int ino:int mode:int uid:int gid:int", "");
NSC_OP("fstat", op_fstat, "fd:int", "dev:int ino:int mode:int uid:int gid:int", "");
NSC_OP("readdir", op_readdir, "path:text", "names:list", "");
NSC_OP("write", op_write, "path:text data:text offset:int?", "stage:text guard:text", "map-write:path:data");
NSC_OP("pwrite", op_pwrite, "path:text data:text offset:int", "stage:text guard:text", "map-write:path:data");
NSC_OP("clocks", op_clocks, "", "monoMs:int bootMs:int realMs:int", "");
NSC_OP("instant", op_instant, "", "monoUs:int waitUs:int", "");
NSC_OP("facts", op_facts, "", "facts:object", "");
NSC_OP("probe", op_probe, "flags:int", "", "call:unshare creates:flags");
NSC_OP("socketpair", op_socketpair, "", "fds:list", "");
NSC_OP("sendcred", op_sendcred, "fd:int", "", "");
NSC_OP("recvcred", op_recvcred, "fd:int", "pid:int uid:int gid:int", "");

extern const struct op_entry __start_nsc_ops[], __stop_nsc_ops[];

op_fn find_op(const char *name)
{
	for (const struct op_entry *op = __start_nsc_ops; op < __stop_nsc_ops; op++)
		if (strcmp(op->name, name) == 0)
			return op->fn;
	return NULL;
}

/* Keeps only the status lines about identity (ids, groups, capabilities, pids), in place; returns the new length. */
static size_t keep_identity_lines(char *status)
{
	static const char *const KEEP[] = {"Pid:", "PPid:", "Uid:", "Gid:", "Groups:", "NSpid:", "Cap", "NoNewPrivs:"};
	size_t out = 0;
	for (char *line = status; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		for (size_t i = 0; i < sizeof KEEP / sizeof KEEP[0]; i++) {
			if (strncmp(line, KEEP[i], strlen(KEEP[i])) == 0) {
				memmove(status + out, line, len);
				out += len;
				break;
			}
		}
		line += len;
	}
	status[out] = '\0';
	return out;
}

int script_exec_report(int argc, char **argv)
{
	static char buf[4000];
	struct json j;
	if (argc < 5)
		return 2;
	char *end;
	long fd = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end || fd < 0 || fd > 65535)
		return 2;
	json_init(&j, buf, sizeof buf - 2);
	json_begin_object(&j);
	json_key(&j, "l");
	json_string(&j, argv[3]);
	json_key(&j, "p");
	json_string(&j, argv[4]);
	long n = read_text("/proc/self/status", text, sizeof text);
	json_key(&j, "text");
	if (n >= 0)
		json_string_n(&j, text, keep_identity_lines(text));
	else
		json_null(&j);
	write_clocks(&j);
	json_key(&j, "r");
	json_int(&j, 0);
	json_end_object(&j);
	if (j.overflow) { /* still one whole JSON line, as a step record that overflowed is */
		json_init(&j, buf, sizeof buf - 2);
		json_begin_object(&j);
		json_key(&j, "l");
		json_string_n(&j, argv[3], strnlen(argv[3], 64));
		json_key(&j, "overflow");
		json_bool(&j, 1);
		json_key(&j, "r");
		json_int(&j, 0);
		json_end_object(&j);
	}
	buf[j.len] = '\n';
	write_all((int)fd, buf, j.len + 1);
	return 0;
}
