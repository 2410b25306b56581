/* Script ops for programs a script runs: observer copies with file capabilities, exec reports, execs held or seen done. */
#define _GNU_SOURCE
#include "facts.h"
#include "guard_files.h"
#include "json.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

NSC_SYSCALL("getxattr", SYS_getxattr);

static char copy_buf[65536];

/* copyexe DST: copies the observer binary to DST (a new file, mode 0755; the host guard decides where). Result: bytes. */
static long long op_copyexe(const struct step *st, struct json *j)
{
	char dst[4096];
	snprintf(dst, sizeof dst, "%s", arg_text(st, 0, 0));
	const char *refused = NULL;
	int outfd = guard_open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755, &refused);
	if (refused)
		return guard_refusal(j, refused);
	if (outfd < 0)
		return outfd;
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		int e = errno;
		close(outfd);
		return -e;
	}
	long long total = 0;
	for (;;) {
		ssize_t n = read(in, copy_buf, sizeof copy_buf);
		if (n == 0)
			break;
		if (n < 0 || write(outfd, copy_buf, (size_t)n) != n) {
			total = -(errno ? errno : EIO);
			break;
		}
		total += n;
	}
	close(in);
	if (fchmod(outfd, 0755) && total >= 0)
		total = -errno;
	close(outfd);
	return total;
}

/* setxattr PATH NAME HEX: setxattr(2) with the bytes given as hex, guarded like a file write. */
static long long op_setxattr(const struct step *st, struct json *j)
{
	char path[4096], name[256], value[512];
	size_t n = 0;
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	snprintf(name, sizeof name, "%s", arg_text(st, 1, 1));
	const char *hex = arg_text(st, 2, 2);
	for (const char *p = hex; p[0] && p[1] && n < sizeof value; p += 2) {
		int hi = hexval(p[0]), lo = hexval(p[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		value[n++] = (char)(hi * 16 + lo);
	}
	const char *refused = NULL;
	int fd = guard_open(path, O_PATH | O_CLOEXEC, 0, &refused);
	if (refused)
		return guard_refusal(j, refused);
	if (fd < 0)
		return fd;
	char self[64]; /* the file found, as a magic link: setxattr needs no read access to it */
	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	long long ret = syscall(SYS_setxattr, self, name, value, n, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * execfile PATH FD LABEL: execve(PATH) as the observer's exec report, which writes one JSON line (its
 * /proc/self/status identity lines as "text") under LABEL to FD, e.g. a scratch file a later step reads.
 * Only returns on failure.
 */
static long long op_execfile(const struct step *st, struct json *j)
{
	char path[4096], fd_text[16], label[64];
	int ok = 1;
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	long long fd = arg_number(st, 1, &ok);
	snprintf(label, sizeof label, "%s", arg_text(st, 2, 1));
	if (!ok || fd < 0 || fd > 65535)
		return -EINVAL;
	snprintf(fd_text, sizeof fd_text, "%d", (int)fd);
	char *argv[] = {"nsconform-observer", "--exec-report", fd_text, label, "exec", NULL};
	char *envp[] = {NULL};
	/* Only a file the script may write (its scratch dir, its own filesystems) runs, found without following a symlink. */
	const char *refused = NULL, *base;
	int parent = guard_parent(path, GUARD_WRITE, &base, &refused);
	if (refused)
		return guard_refusal(j, refused);
	if (parent < 0)
		return parent;
	struct stat file;
	if (fstatat(parent, base, &file, AT_SYMLINK_NOFOLLOW) || S_ISLNK(file.st_mode)) {
		int err = errno ? errno : ELOOP;
		close(parent);
		return -err;
	}
	/* Through the vetted directory's fd, so the program keeps its own name (comm) and nothing else is reached. */
	char through[64 + 256];
	snprintf(through, sizeof through, "/proc/self/fd/%d/%s", parent, base);
	fcntl((int)fd, F_SETFD, 0);
	execve(through, argv, envp);
	int err = errno;
	close(parent);
	return -err;
}

/*
 * fullpipe: a pipe (4 KiB buffer) whose buffer is already full; result: its write end, without O_CLOEXEC, so
 * an exec report written to it blocks and its process stays alive until killed. The read end stays open.
 */
static long long op_fullpipe(const struct step *st, struct json *j)
{
	(void)st;
	int fds[2];
	char chunk[512];
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	fcntl(fds[1], F_SETPIPE_SZ, 4096);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	memset(chunk, 'x', sizeof chunk);
	long long filled = 0;
	for (;;) {
		ssize_t n = write(fds[1], chunk, sizeof chunk);
		if (n <= 0)
			break;
		filled += n;
	}
	fcntl(fds[1], F_SETFL, 0);
	json_key(j, "filled");
	json_int(j, filled);
	json_key(j, "readFd");
	json_int(j, fds[0]);
	return fds[1];
}

/* commis PATH NAME: 0 when the file PATH (a /proc/PID/comm) holds NAME, else -EAGAIN; for poll, to see an execve done. */
static long long op_commis(const struct step *st, struct json *j)
{
	char text[64], name[64];
	snprintf(name, sizeof name, "%s", arg_text(st, 1, 1));
	long n = read_text(arg_text(st, 0, 0), text, sizeof text);
	if (n < 0)
		return n;
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	json_key(j, "text");
	json_string(j, text);
	return strcmp(text, name) == 0 ? 0 : -EAGAIN;
}

NSC_OP("copyexe", op_copyexe, "path:text", "guard:text", "");
NSC_OP("setxattr", op_setxattr, "path:text name:text value:text", "guard:text", "");
NSC_OP("execfile", op_execfile, "path:text fd:int label:text", "guard:text", "");
NSC_OP("fullpipe", op_fullpipe, "", "filled:int readFd:int", "");
NSC_OP("commis", op_commis, "path:text name:text", "text:text", "");
