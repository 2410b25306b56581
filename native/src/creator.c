/* The creator: drops ids, records its own facts, creates the child by the requested path, reports. */
#define _GNU_SOURCE
#include "creator.h"
#include "drop.h"
#include "child.h"
#include "facts.h"
#include "io.h"
#include "json.h"
#include "names.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* The first published clone_args layout (CLONE_ARGS_SIZE_VER0, 64 bytes): enough for these paths. */
struct clone_args_v0 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

static char body[65536];
static char child_record[32768];
static char proc_text[16384];

static void fail_case(int result_fd, const char *what, int err) __attribute__((noreturn));
static void fail_case(int result_fd, const char *what, int err)
{
	char line[256];
	int n = snprintf(line, sizeof line, "!%s: %s\n", what, errno_name(err));
	write_all(result_fd, line, (size_t)n);
	_exit(0);
}

static void drop_ids(const struct request *req, int result_fd)
{
	char why[200], line[256];
	if (drop_privileges(req, why, sizeof why)) {
		int n = snprintf(line, sizeof line, "!drop privileges: %s\n", why);
		write_all(result_fd, line, (size_t)n);
		_exit(0);
	}
	/* stdin and stdout are the observer's protocol channel: a dropped creator has no business with them. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup3(null, STDIN_FILENO, 0);
		dup3(null, STDOUT_FILENO, 0);
		if (null > STDOUT_FILENO)
			close(null);
	}
}

/* Returns the child's pid in the parent, 0 in the child, -1 with errno on failure. */
static long create_child(const struct request *req)
{
	switch (req->path) {
	case PATH_CLONE3: {
		struct clone_args_v0 args;
		memset(&args, 0, sizeof args);
		args.flags = req->flags;
		args.exit_signal = SIGCHLD;
		return syscall(SYS_clone3, &args, sizeof args);
	}
	case PATH_UNSHARE:
		if (unshare((int)req->flags) != 0)
			return -1;
		return fork();
	case PATH_CLONE:
		/* flags | SIGCHLD as is: CLONE_NEWTIME (0x80) lands in the exit-signal byte (spec CLONE-08). */
#if defined(__s390__) || defined(__CRIS__)
		return syscall(SYS_clone, 0, req->flags | SIGCHLD, 0, 0, 0);
#else
		return syscall(SYS_clone, req->flags | SIGCHLD, 0, 0, 0, 0);
#endif
	}
	errno = EINVAL;
	return -1;
}

/* Field 38 of /proc/<pid>/stat, counted after the ")" that ends the command name. */
static long read_exit_signal(pid_t pid)
{
	char path[64];
	const char *p;
	proc_path(path, sizeof path, pid, "stat");
	if (read_text(path, proc_text, sizeof proc_text) < 0 || !(p = strrchr(proc_text, ')')))
		return -1;
	for (int field = 2; field < 38; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	long value = 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		value = value * 10 + (*p - '0');
	return value;
}

static void write_exit(struct json *j, int status)
{
	json_key(j, "exit");
	json_begin_object(j);
	if (WIFSIGNALED(status)) {
		json_key(j, "signal");
		json_string(j, signal_name(WTERMSIG(status)));
	} else {
		json_key(j, "code");
		json_int(j, WEXITSTATUS(status));
	}
	json_end_object(j);
}

static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

static void wait_for_eof(int fd)
{
	char byte;
	while (read(fd, &byte, 1) != 0 && errno == EINTR)
		;
}

/* Sends the body without its opening "{": the observer writes its own fields first. */
static void send(int result_fd, char tag, struct json *j)
{
	j->buf[0] = tag;
	json_raw(j, "\n", 1);
	write_all(result_fd, j->buf, j->len);
}

void run_creator(const struct request *req, int result_fd, int ack_fd)
{
	struct json j;
	int record[2], release[2];
	int status = 0;
	if (req->drop)
		drop_ids(req, result_fd);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* after the drop, which clears it */
	json_init(&j, body, sizeof body);
	json_begin_object(&j);
	json_key(&j, "parent");
	json_begin_object(&j);
	write_facts(&j, req->scratch);
	json_end_object(&j);
	if (pipe2(record, O_CLOEXEC) || pipe2(release, O_CLOEXEC))
		fail_case(result_fd, "pipe", errno);
	long pid = create_child(req);
	if (pid == 0) {
		close(record[0]);
		close(release[1]);
		close(result_fd);
		close(ack_fd);
		run_child(req, record[1], release[0]);
	}
	int create_errno = errno;
	close(record[1]);
	close(release[0]);
	json_key(&j, "creation");
	json_begin_object(&j);
	json_key(&j, "ok");
	json_bool(&j, pid > 0);
	if (pid > 0) {
		json_key(&j, "childPid");
		json_int(&j, pid);
	} else {
		json_key(&j, "errno");
		json_string(&j, errno_name(create_errno));
	}
	json_end_object(&j);
	if (pid < 0) {
		json_key(&j, "child"), json_null(&j);
		json_key(&j, "outside"), json_null(&j);
		json_key(&j, "exit"), json_null(&j);
		send(result_fd, 'C', &j);
		_exit(0);
	}
	ssize_t len = read_all(record[0], child_record, sizeof child_record);
	json_key(&j, "child");
	if (len <= 0) {
		/* The child ended before reporting: say how, and let the harness call it an error. */
		close(release[1]);
		waitpid((pid_t)pid, &status, __WALL);
		json_null(&j);
		json_key(&j, "outside"), json_null(&j);
		write_exit(&j, status);
		send(result_fd, 'C', &j);
		_exit(0);
	}
	json_raw_value(&j, child_record, (size_t)len);
	json_key(&j, "outside");
	json_begin_object(&j);
	char path[64];
	proc_path(path, sizeof path, (pid_t)pid, "status");
	if (read_text(path, proc_text, sizeof proc_text) < 0)
		proc_text[0] = '\0';
	json_key(&j, "nspid");
	write_nspid(&j, proc_text);
	json_key(&j, "exitSignal");
	json_int(&j, read_exit_signal((pid_t)pid));
	/* The outside object stays open: the observer adds what it sees from the original namespaces. */
	send(result_fd, 'W', &j);
	wait_for_eof(ack_fd);
	close(release[1]);
	waitpid((pid_t)pid, &status, __WALL);
	json_init(&j, body, sizeof body);
	json_begin_object(&j);
	json_raw(&j, ",", 1);
	j.count[j.depth] = 0;
	write_exit(&j, status);
	write_all(result_fd, j.buf + 1, j.len - 1);
	_exit(0);
}
