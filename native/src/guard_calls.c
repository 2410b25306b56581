/*
 * Host safety, system calls (spec §2 note 11): which `sys` calls may run with these arguments, decided on kernel
 * facts — the caller's namespaces, a pid's parent chain in /proc, a pidfd's fdinfo, a socket's own net namespace.
 */
#define _GNU_SOURCE
#include "compat.h"
#include "host_guard.h"

#include <errno.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#define TUNSETIFF 0x400454ca

/* The parent pid (field 4) and process group (field 5) of pid, as the procfs opened at start numbers them. */
static int stat_of(long pid, long *ppid, long *pgrp)
{
	char rel[32], text[1024];
	snprintf(rel, sizeof rel, "%ld/stat", pid);
	if (guard_proc_read(rel, text, sizeof text) < 0)
		return -1;
	const char *close_paren = strrchr(text, ')');
	return close_paren && sscanf(close_paren + 1, " %*c %ld %ld", ppid, pgrp) == 2 ? 0 : -1;
}

/* Whether pid (numbered in the start PID namespace) is the script's: its root, a descendant, or in its process group. */
static int script_process(long pid)
{
	long ppid, pgrp;
	if (pid <= 0 || stat_of(pid, &ppid, &pgrp))
		return 0;
	if (pgrp == guard_root_pid())
		return 1;
	for (int hops = 0; hops < 4096 && pid > 1; hops++) {
		if (pid == guard_root_pid())
			return 1;
		if (stat_of(pid, &ppid, &pgrp))
			return 0;
		pid = ppid;
	}
	return 0;
}

/* The pid a pidfd refers to, from its fdinfo in the start procfs: 0 when not visible there, -1 when it has exited. */
static long pidfd_target(int fd)
{
	char rel[64], text[1024];
	snprintf(rel, sizeof rel, "thread-self/fdinfo/%d", fd);
	if (guard_proc_read(rel, text, sizeof text) < 0)
		return 0;
	const char *field = strstr(text, "\nPid:");
	return field ? strtol(field + 5, NULL, 10) : 0;
}

static const char *guard_signal(const char *name, const long long *a, int n)
{
	if (n < 1)
		return NULL;
	if (!strcmp(name, "pidfd_send_signal")) {
		long pid = pidfd_target((int)a[0]);
		return pid == -1 || script_process(pid) ? NULL : "host safety: a signal only to a process of the script";
	}
	if (a[0] <= 0)
		return "host safety: kill() of a group or of every process";
	/* From a PID namespace the script made, every visible process is the script's own. */
	if (guard_own_ns("pid"))
		return NULL;
	return script_process((long)a[0]) ? NULL : "host safety: a signal only to a process of the script";
}

static int same_name(const char *given, long long len, int domain)
{
	struct utsname uts;
	if (uname(&uts) || !given || len < 0)
		return 0;
	const char *now = domain ? uts.domainname : uts.nodename;
	return (size_t)len == strlen(now) && memcmp(given, now, (size_t)len) == 0;
}

static int owns_superblock(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && guard_own_dev(st.st_dev);
}

static const char *guard_mount(const char *name, const long long *a, int n)
{
	if (!guard_own_ns("mnt"))
		return "host safety: mount calls only in a mount namespace the script created";
	if (!strcmp(name, "mount") && n >= 4) {
		const char *source = (const char *)(long)a[0], *target = (const char *)(long)a[1];
		unsigned long flags = (unsigned long)a[3];
		struct stat st;
		if ((flags & MS_REMOUNT) && !(flags & MS_BIND) && !owns_superblock(target))
			return "host safety: remounting a superblock the script did not mount would change it for the host too";
		if ((flags & MS_REMOUNT) && (flags & MS_BIND) && !(flags & MS_RDONLY) && !guard_own_ns("user") && !owns_superblock(target))
			return "host safety: the host's tree stays read-only";
		if (!(flags & (MS_BIND | MS_MOVE | MS_REMOUNT)) && !guard_own_ns("user") && source && stat(source, &st) == 0 && S_ISBLK(st.st_mode))
			return "host safety: no filesystem from a block device";
	}
	if (!strcmp(name, "mount_setattr") && n >= 4 && a[3]) {
		const struct nsc_mount_attr *attr = (const struct nsc_mount_attr *)(long)a[3];
		if ((attr->attr_clr & MOUNT_ATTR_RDONLY) && !guard_own_ns("user"))
			return "host safety: the host's tree stays read-only";
	}
	return NULL;
}

static int getter_ioctl(unsigned long request)
{
	static const unsigned long GETS[] = {0x8910, 0x8912, 0x8913, 0x8915, 0x8917, 0x8919, 0x891b, 0x891d, 0x891f,
	                                     0x8921, 0x8927, 0x8933, 0x8942, 0x894c, 0x8970, 0x8906, 0x8907, 0x8904};
	for (size_t i = 0; i < sizeof GETS / sizeof GETS[0]; i++)
		if (request == GETS[i])
			return 1;
	return request < 0x8900 || request > 0x89ff;
}

/* Socket ioctls that change something act on the socket's own net namespace (SIOCGSKNS), whatever the caller's is now. */
/*
 * setns into a namespace file only for namespaces the script created or started in: an nsfs file of another
 * one (a bind mount under /run/netns, say) would lead out of containment. A pidfd names a process the caller
 * can see, which contained is one of the case's.
 */
static const char *guard_setns(const long long *a, int n)
{
	struct statfs fs;
	if (n < 1 || fstatfs((int)a[0], &fs) || fs.f_type != NSFS_MAGIC || guard_known_ns_fd((int)a[0]))
		return NULL;
	return "host safety: setns only into a namespace the script created or started in";
}

static const char *guard_ioctl(const long long *a, int n)
{
	struct stat st;
	unsigned long request = n >= 2 ? (unsigned long)a[1] : 0;
	if (n < 2 || fstat((int)a[0], &st))
		return NULL;
	if (S_ISSOCK(st.st_mode) && !getter_ioctl(request)) {
		int ns = ioctl((int)a[0], SIOCGSKNS);
		int ok = ns >= 0 && guard_own_ns_fd(ns, "net");
		if (ns >= 0)
			close(ns);
		return ok ? NULL : "host safety: this socket belongs to a net namespace the script did not create";
	}
	if (request == TUNSETIFF && !guard_own_ns("net"))
		return "host safety: tun devices only in a net namespace the script created";
	return NULL;
}

const char *guard_syscall(const char *name, const long long *a, int n)
{
	if (!strcmp(name, "sethostname") || !strcmp(name, "setdomainname")) {
		/* A probe that must fail passes the current name and its length, so even a regression changes nothing. */
		if (!guard_own_ns("uts") && !(n >= 2 && same_name((const char *)(long)a[0], a[1], name[3] == 'd')))
			return "host safety: sethostname/setdomainname in a UTS namespace the script did not create, with a new name";
		return NULL;
	}
	if (!strcmp(name, "mount") || !strcmp(name, "umount2") || !strcmp(name, "pivot_root") || !strcmp(name, "mount_setattr") ||
	    !strcmp(name, "move_mount") || !strcmp(name, "fsmount") || !strcmp(name, "open_tree"))
		return guard_mount(name, a, n);
	if (!strcmp(name, "reboot")) {
		if (!guard_own_ns("user") || !guard_own_ns("pid") || geteuid() == 0)
			return "host safety: reboot() only as a non-root uid in a user-namespace-owned PID namespace (spec note 11)";
		return NULL;
	}
	if (!strcmp(name, "kill") || !strcmp(name, "tkill") || !strcmp(name, "tgkill") || !strcmp(name, "pidfd_send_signal") ||
	    !strcmp(name, "rt_sigqueueinfo") || !strcmp(name, "rt_tgsigqueueinfo"))
		return guard_signal(name, a, n);
	if (!strcmp(name, "msgctl") || !strcmp(name, "semctl") || !strcmp(name, "shmctl")) {
		long long cmd = !strcmp(name, "semctl") ? (n >= 3 ? a[2] : -1) : (n >= 2 ? a[1] : -1);
		if ((cmd == IPC_RMID || cmd == IPC_SET) && !guard_own_ns("ipc"))
			return "host safety: removing or changing SysV objects only in an IPC namespace the script created";
		return NULL;
	}
	if (!strcmp(name, "ioctl"))
		return guard_ioctl(a, n);
	if (!strcmp(name, "setns"))
		return guard_setns(a, n);
	if (!strcmp(name, "clock_settime") || !strcmp(name, "settimeofday"))
		return "host safety: the realtime clock is not namespaced";
	return NULL;
}
