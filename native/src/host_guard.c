/* Host safety (spec §2 note 11): every write to the host's state is refused unless it lands in the script's own namespaces. */
#define _GNU_SOURCE
#include "host_guard.h"

#include <errno.h>
#include <fnmatch.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *const KINDS[] = {"user", "mnt", "uts", "ipc", "net", "pid", "cgroup", "time"};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static ino_t start_ns[NKINDS];
static dev_t root_dev;
static ino_t root_ino;
static char start_scratch[4096];

static ino_t ns_ino(const char *kind)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/self/ns/%s", kind);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

void guard_init(const char *scratch)
{
	struct stat st;
	for (size_t i = 0; i < NKINDS; i++)
		start_ns[i] = ns_ino(KINDS[i]);
	if (stat("/", &st) == 0) {
		root_dev = st.st_dev;
		root_ino = st.st_ino;
	}
	snprintf(start_scratch, sizeof start_scratch, "%s", scratch ? scratch : "");
}

int guard_in_host_ns(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++) {
		if (strcmp(KINDS[i], kind) == 0) {
			ino_t now = ns_ino(kind);
			/* An unreadable link (e.g. after a chroot without /proc) counts as the host's: refuse. */
			return now == 0 || now == start_ns[i];
		}
	}
	return 1;
}

static int chrooted(void)
{
	struct stat st;
	return stat("/", &st) == 0 && (st.st_dev != root_dev || st.st_ino != root_ino);
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return n > 1 && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

struct scoped {
	const char *pattern;
	const char *ns; /* NULL: always allowed (per-process files) */
};

static const struct scoped SCOPED[] = {
	{"/proc/*/uid_map", NULL},
	{"/proc/*/gid_map", NULL},
	{"/proc/*/setgroups", NULL},
	{"/proc/*/projid_map", NULL},
	{"/proc/*/timens_offsets", NULL},
	{"/proc/sys/user/*", "user"},
	{"/proc/sys/kernel/msg*", "ipc"},
	{"/proc/sys/kernel/sem*", "ipc"},
	{"/proc/sys/kernel/shm*", "ipc"},
	{"/proc/sys/kernel/auto_msgmni", "ipc"},
	{"/proc/sys/fs/mqueue/*", "ipc"},
	{"/proc/sys/net/*", "net"},
	{"/proc/sys/kernel/hostname", "uts"},
	{"/proc/sys/kernel/domainname", "uts"},
	{"/proc/sys/kernel/ns_last_pid", "pid"},
};

const char *guard_write(const char *path)
{
	if (!path || path[0] != '/')
		return "host safety: writes need an absolute path";
	if (strstr(path, "/../") || (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0))
		return "host safety: no \"..\" in a path that is written (it could climb out of the scratch dir or an own cgroup)";
	if (chrooted())
		return NULL; /* everything below a changed root is the script's own scratch tree */
	if (*start_scratch && under(path, start_scratch))
		return NULL;
	if (strncmp(path, "/sys/fs/cgroup/", 15) == 0 && strstr(path, "/nsconform-"))
		return NULL;
	for (size_t i = 0; i < sizeof SCOPED / sizeof SCOPED[0]; i++) {
		if (fnmatch(SCOPED[i].pattern, path, 0) == 0) {
			if (!SCOPED[i].ns || !guard_in_host_ns(SCOPED[i].ns))
				return NULL;
			return "host safety: this file belongs to the host's namespace; write it only from a namespace the script created";
		}
	}
	if (!guard_in_host_ns("mnt") && (strncmp(path, "/dev/mqueue", 11) == 0))
		return NULL;
	return "host safety: path is outside the scratch dir and the script's own namespaces";
}

static int same_name(const char *given, int domain)
{
	struct utsname uts;
	if (uname(&uts))
		return 0;
	return strcmp(given, domain ? uts.domainname : uts.nodename) == 0;
}

const char *guard_syscall(const char *name, const long long *a, int n)
{
	if (!strcmp(name, "sethostname") || !strcmp(name, "setdomainname")) {
		/* A probe that must fail passes the current name, so even a regression changes nothing. */
		if (guard_in_host_ns("uts") && !(n >= 1 && a[0] && same_name((const char *)(long)a[0], name[3] == 'd')))
			return "host safety: sethostname/setdomainname in the host's UTS namespace with a new name";
		return NULL;
	}
	if (!strcmp(name, "mount") || !strcmp(name, "umount2") || !strcmp(name, "pivot_root") || !strcmp(name, "mount_setattr") ||
	    !strcmp(name, "move_mount") || !strcmp(name, "fsmount") || !strcmp(name, "open_tree")) {
		if (guard_in_host_ns("mnt"))
			return "host safety: mount calls only in a mount namespace the script created";
		return NULL;
	}
	if (!strcmp(name, "reboot")) {
		if (guard_in_host_ns("user") || guard_in_host_ns("pid") || geteuid() == 0)
			return "host safety: reboot() only as a non-root uid in a user-namespace-owned PID namespace (spec note 11)";
		return NULL;
	}
	if (!strcmp(name, "kill") || !strcmp(name, "tkill")) {
		if (n < 1 || a[0] <= 0)
			return "host safety: kill() of a group or of every process";
		/* From a PID namespace the script made, every visible process is the script's own. */
		if (!guard_in_host_ns("pid"))
			return NULL;
		if (a[0] != getpid() && getpgid((pid_t)a[0]) != getpgrp())
			return "host safety: kill() of a process outside the script";
		return NULL;
	}
	if (!strcmp(name, "msgctl") || !strcmp(name, "semctl") || !strcmp(name, "shmctl")) {
		long long cmd = !strcmp(name, "semctl") ? (n >= 3 ? a[2] : -1) : (n >= 2 ? a[1] : -1);
		if ((cmd == IPC_RMID || cmd == IPC_SET) && guard_in_host_ns("ipc"))
			return "host safety: removing or changing SysV objects only in an IPC namespace the script created";
		return NULL;
	}
	if (!strcmp(name, "mkdir") || !strcmp(name, "rmdir") || !strcmp(name, "unlink") || !strcmp(name, "mknod") || !strcmp(name, "symlink") ||
	    !strcmp(name, "chown") || !strcmp(name, "chmod")) {
		const char *path = (const char *)(long)a[!strcmp(name, "symlink") ? 1 : 0];
		return guard_write(path);
	}
	if (!strcmp(name, "openat")) {
		long long flags = n >= 3 ? a[2] : 0;
		if ((flags & 3) || (flags & 0100 /* O_CREAT */) || (flags & 01000 /* O_TRUNC */))
			return guard_write((const char *)(long)a[1]);
		return NULL;
	}
	if (!strcmp(name, "clock_settime") || !strcmp(name, "settimeofday"))
		return "host safety: the realtime clock is not namespaced";
	return NULL;
}

int guard_privatize_after(unsigned long flags, int was_host_mnt)
{
	if (!(flags & CLONE_NEWNS) || !was_host_mnt)
		return 0;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 1 : -errno;
}
