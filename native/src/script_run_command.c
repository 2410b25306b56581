/*
 * run FLAGS MAP PATH ARG0 ARG...: an ordinary tool run the way a container runtime starts one — clone(FLAGS)
 * then execve — with stdout and stderr captured. MAP "uid:gid" has the parent write "0 uid 1" id maps
 * (setgroups deny first) before the child execs; "-" leaves the maps unwritten.
 */
#define _GNU_SOURCE
#include "host_guard.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUTPUT_MAX 2400
#define ARG_MAX_BYTES 1024

enum { OWN_UTS = 1, OWN_MNT = 2, OWN_NET = 4, OWN_IPC = 8, OWN_ALL = 15 };

static int only_words(char *const argv[], const char *const *allowed)
{
	for (int i = 1; argv[i]; i++) {
		int found = 0;
		for (const char *const *word = allowed; *word; word++)
			found |= strcmp(argv[i], *word) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * Which of the command's namespaces must be the script's own, not the host's: nothing for tools that
 * only read, the namespace a tool changes for the rest, everything for a shell or an unknown tool.
 */
static const char *basename_of(const char *path)
{
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

static char resolved[4096];

/*
 * The tool is what the kernel will execute: the file the path resolves to (symlinks followed, as execve does),
 * whose name counts only when it is the very file the tree the script started in has there (read-only when
 * contained, and no mounts there), not one the script bind-mounted in its own mount namespace, nor one below
 * the scratch dir. A multi-call binary (BusyBox) runs the applet argv[0] names, so there argv[0] (or argv[1]) decides.
 */
static const char *tool_name(int file, char *const argv[])
{
	char link[64];
	const char *scratch = script_scratch();
	size_t n_scratch = strlen(scratch);
	resolved[0] = '\0';
	snprintf(link, sizeof link, "/proc/self/fd/%d", file);
	ssize_t n = readlink(link, resolved, sizeof resolved - 1);
	if (n <= 0)
		return "";
	resolved[n] = '\0';
	if ((n_scratch && strncmp(resolved, scratch, n_scratch) == 0) || !guard_start_tree_has(resolved, file))
		return ""; /* unknown: needs every namespace of its own */
	const char *base = basename_of(resolved);
	if (strcmp(base, "busybox") == 0) {
		base = basename_of(argv[0]);
		if (strcmp(base, "busybox") == 0)
			base = argv[1] ? argv[1] : "";
	}
	return strcmp(base, "dash") == 0 || strcmp(base, "bash") == 0 ? "sh" : base;
}

static unsigned namespaces_needed(const char *base, char *const argv[])
{
	static const char *const READ_ONLY[] = {"ipcs", "ps", "id", "cat", "ls", "readlink", "true", "echo", NULL};
	static const char *const IP_SHOW[] = {"-o", "-br", "link", "addr", "show", "list", "lo", NULL};
	for (const char *const *tool = READ_ONLY; *tool; tool++)
		if (strcmp(base, *tool) == 0)
			return 0;
	if (strcmp(base, "hostname") == 0)
		return argv[1] ? OWN_UTS : 0; /* "hostname NAME" sets it */
	if (strcmp(base, "mount") == 0 || strcmp(base, "umount") == 0)
		return OWN_MNT;
	if (strcmp(base, "ip") == 0 || strcmp(base, "ping") == 0)
		return strcmp(base, "ip") == 0 && only_words(argv, IP_SHOW) ? 0 : OWN_NET;
	if (strcmp(base, "sh") == 0 && argv[1] && argv[2] && !argv[3] && strcmp(argv[1], "-c") == 0 && strcmp(argv[2], "echo $$") == 0)
		return 0;
	return OWN_ALL;
}

/* The kinds whose namespace the command, once cloned with flags, shares with the host. */
static unsigned host_namespaces(unsigned long flags)
{
	return (!guard_own_ns("uts") && !(flags & CLONE_NEWUTS) ? OWN_UTS : 0) | (!guard_own_ns("mnt") && !(flags & CLONE_NEWNS) ? OWN_MNT : 0) |
	       (!guard_own_ns("net") && !(flags & CLONE_NEWNET) ? OWN_NET : 0) | (!guard_own_ns("ipc") && !(flags & CLONE_NEWIPC) ? OWN_IPC : 0);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int err = n < 0 ? errno : 0;
	close(fd);
	return err ? -err : 0;
}

static int write_maps(pid_t pid, const char *map)
{
	unsigned uid, gid;
	char path[64], text[64];
	if (sscanf(map, "%u:%u", &uid, &gid) != 2)
		return -EINVAL;
	snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
	int rc = write_file(path, "deny");
	snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
	snprintf(text, sizeof text, "0 %u 1", uid);
	if (rc == 0)
		rc = write_file(path, text);
	snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
	snprintf(text, sizeof text, "0 %u 1", gid);
	return rc ? rc : write_file(path, text);
}

static long long op_run(const struct step *st, struct json *j)
{
	static char args[SCRIPT_MAX_ARGS][ARG_MAX_BYTES];
	static char output[OUTPUT_MAX + 1];
	char *argv[SCRIPT_MAX_ARGS + 1] = {0};
	int ok = 1, out[2], go[2], status = 0;
	if (st->argc < 4)
		return -EINVAL;
	unsigned long flags = (unsigned long)arg_number(st, 0, &ok);
	const char *map = st->argv[1];
	if (!ok)
		return -EINVAL;
	for (int i = 2; i < st->argc; i++) {
		snprintf(args[i], sizeof args[i], "%s", arg_text(st, i, 0));
		if (i > 2)
			argv[i - 3] = args[i];
	}
	int file = open(args[2], O_PATH | O_CLOEXEC);
	if (file < 0)
		return -errno;
	if (namespaces_needed(tool_name(file, argv), argv) & host_namespaces(flags)) {
		close(file);
		json_key(j, "guard");
		json_string(j, "host safety: this tool could change a UTS, mount, net or IPC namespace the script did not create");
		return -EACCES;
	}
	int was_own_mnt = guard_own_ns("mnt");
	if (pipe2(out, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		close(file);
		return -errno;
	}
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0L, 0L, 0L, 0L);
	if (pid < 0) {
		int err = errno;
		close(out[0]), close(out[1]), close(go[0]), close(go[1]), close(file);
		return -err;
	}
	if (pid == 0) {
		char byte;
		close(out[0]);
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(126);
		if (guard_privatize_after(flags, was_own_mnt) < 0)
			_exit(125);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "LC_ALL=C", NULL};
		/* The very file that was classified; by its resolved path where execveat of an O_PATH fd fails (9p, as in `nsconform vm`). */
		syscall(SYS_execveat, file, "", argv, envp, AT_EMPTY_PATH);
		execve(resolved, argv, envp);
		_exit(127);
	}
	close(file);
	close(out[1]);
	close(go[0]);
	int map_rc = strcmp(map, "-") ? write_maps(pid, map) : 0;
	write(go[1], "g", 1);
	close(go[1]);
	size_t len = 0;
	for (;;) {
		char chunk[1024];
		ssize_t n = read(out[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t keep = len + (size_t)n > OUTPUT_MAX ? OUTPUT_MAX - len : (size_t)n;
		memcpy(output + len, chunk, keep);
		len += keep;
	}
	close(out[0]);
	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	json_key(j, "text");
	json_string_n(j, output, len);
	if (map_rc) {
		json_key(j, "map");
		json_string(j, errno_name(-map_rc));
	}
	if (WIFEXITED(status)) {
		json_key(j, "code");
		json_int(j, WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	json_key(j, "signal");
	json_string(j, signal_name(WTERMSIG(status)));
	return 0;
}

NSC_OP("run", op_run, "flags:int mapTo:ids path:text argv0:text ...args:text", "guard:text text:text map:text code:int signal:text", "clones::flags");
