/*
 * Host safety (spec §2 note 11), the second wall behind containment: a step that could change state outside the
 * script runs only in namespaces, filesystems and cgroups the script itself created, decided on kernel facts (the
 * device and inode of a namespace read through the procfs fd opened at start, fds, superblocks), never on path text.
 */
#define _GNU_SOURCE
#include "host_guard.h"
#include "guard_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/sockios.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#define TUNSETIFF 0x400454ca
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

#define MAX_OWN 128
#define MAX_START_DEVS 512

struct id {
	dev_t dev;
	ino_t ino;
};

/* Shared by every process of one script (MAP_SHARED before the first fork); a slot is reserved by atomic increment. */
struct own {
	struct id start[16]; /* the namespaces the script started in: joining them again changes nothing */
	int nstart;
	struct id ns[MAX_OWN];
	int nns;
	dev_t devs[MAX_OWN];
	int ndevs;
	struct id cgroups[MAX_OWN];
	int ncgroups;
};

static struct own *own;
static int proc_fd = -1;
static pid_t root_pid;
static dev_t start_devs[MAX_START_DEVS];
static int nstart_devs;

static int proc_read(const char *rel, char *buf, size_t size)
{
	int fd = openat(proc_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* The devices of every mount the script starts with: a "new" filesystem is one whose device is not among them. */
static void read_start_devs(void)
{
	static char table[65536];
	nstart_devs = 0;
	if (proc_read("thread-self/mountinfo", table, sizeof table) < 0)
		return;
	for (char *line = table; line && *line && nstart_devs < MAX_START_DEVS;) {
		unsigned maj, min;
		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) == 2)
			start_devs[nstart_devs++] = makedev(maj, min);
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
}

static int ns_id(const char *kind, struct id *id);

void guard_init(const char *scratch)
{
	struct statfs fs;
	if (!own) {
		void *area = mmap(NULL, sizeof *own, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		own = area == MAP_FAILED ? NULL : area;
	}
	if (own)
		memset(own, 0, sizeof *own);
	if (proc_fd >= 0)
		close(proc_fd);
	proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd >= 0 && (fstatfs(proc_fd, &fs) || fs.f_type != PROC_SUPER_MAGIC)) {
		close(proc_fd);
		proc_fd = -1; /* nothing counts as the script's own: every guarded step is refused */
	}
	root_pid = getpid();
	static const char *const START[] = {"user", "mnt", "uts", "ipc", "net", "pid", "cgroup", "time"};
	for (size_t i = 0; own && i < sizeof START / sizeof START[0]; i++) {
		struct id id;
		if (ns_id(START[i], &id) == 0)
			own->start[own->nstart++] = id;
	}
	read_start_devs();
	guard_files_init(scratch);
}

static int ns_id(const char *kind, struct id *id)
{
	char rel[64];
	struct stat st;
	snprintf(rel, sizeof rel, "thread-self/ns/%s", kind);
	if (proc_fd < 0 || fstatat(proc_fd, rel, &st, 0))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

static int in_list(const struct id *list, int n, struct id id)
{
	for (int i = 0; i < n && i < MAX_OWN; i++)
		if (list[i].dev == id.dev && list[i].ino == id.ino)
			return 1;
	return 0;
}

static void add_id(struct id *list, int *n, struct id id)
{
	if (in_list(list, __atomic_load_n(n, __ATOMIC_ACQUIRE), id))
		return;
	int i = __atomic_fetch_add(n, 1, __ATOMIC_ACQ_REL);
	if (i < MAX_OWN)
		list[i] = id;
}

int guard_own_ns(const char *kind)
{
	struct id id;
	return own && ns_id(kind, &id) == 0 && in_list(own->ns, own->nns, id);
}

int guard_own_ns_fd(int fd, const char *kind)
{
	struct stat st;
	(void)kind;
	return own && fstat(fd, &st) == 0 && in_list(own->ns, own->nns, (struct id){st.st_dev, st.st_ino});
}

static const struct {
	unsigned long flag;
	const char *kind;
	const char *for_children; /* what unshare changes for these kinds: the namespace of later children */
} KINDS[] = {
	{CLONE_NEWUSER, "user", NULL}, {CLONE_NEWNS, "mnt", NULL},   {CLONE_NEWUTS, "uts", NULL},
	{CLONE_NEWIPC, "ipc", NULL},   {CLONE_NEWNET, "net", NULL},  {CLONE_NEWPID, "pid", "pid_for_children"},
	{CLONE_NEWCGROUP, "cgroup", NULL}, {0x80 /* CLONE_NEWTIME */, "time", "time_for_children"},
};

void guard_note_created(unsigned long flags, int in_child)
{
	struct id id;
	if (!own)
		return;
	/*
	 * A child lands in its parent's pid_for_children (time_for_children), which an unshare made before that
	 * namespace could be read (it has no init yet) or a setns chose among own and start ones: not a start one is own.
	 */
	if (in_child) {
		static const char *const FOR_CHILDREN[] = {"pid", "time"};
		for (size_t i = 0; i < 2; i++)
			if (ns_id(FOR_CHILDREN[i], &id) == 0 && !in_list(own->start, own->nstart, id))
				add_id(own->ns, &own->nns, id);
	}
	for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
		if (!(flags & KINDS[i].flag))
			continue;
		const char *kind = !in_child && KINDS[i].for_children ? KINDS[i].for_children : KINDS[i].kind;
		if (ns_id(kind, &id) == 0)
			add_id(own->ns, &own->nns, id);
	}
}

int guard_own_dev(dev_t dev)
{
	if (!own)
		return 0;
	for (int i = 0; i < own->ndevs && i < MAX_OWN; i++)
		if (own->devs[i] == dev)
			return 1;
	return 0;
}

int guard_own_cgroup(dev_t dev, ino_t ino)
{
	return own && in_list(own->cgroups, own->ncgroups, (struct id){dev, ino});
}

void guard_note_cgroup(int parent, const char *base)
{
	struct statfs fs;
	struct stat st;
	if (own && fstatfs(parent, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC && fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
		add_id(own->cgroups, &own->ncgroups, (struct id){st.st_dev, st.st_ino});
}

/* After a mount(2) that made a new superblock: its device is the script's own, unless the host had it already. */
static void note_mount(const char *target, unsigned long flags)
{
	struct stat st;
	struct statfs fs;
	if (!own || (flags & (MS_BIND | MS_MOVE | MS_REMOUNT | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) || !target)
		return;
	if (stat(target, &st) || statfs(target, &fs))
		return;
	for (int i = 0; i < nstart_devs; i++)
		if (start_devs[i] == st.st_dev)
			return;
	/* An mqueue filesystem belongs to the IPC namespace it was mounted in: the script's only if that one is. */
	if (fs.f_type == 0x19800202 && !guard_own_ns("ipc"))
		return;
	if (!guard_own_dev(st.st_dev)) {
		int i = __atomic_fetch_add(&own->ndevs, 1, __ATOMIC_ACQ_REL);
		if (i < MAX_OWN)
			own->devs[i] = st.st_dev;
	}
}

void guard_note_call(const char *name, const long long *a, int n, long long ret)
{
	if (ret < 0)
		return;
	if (!strcmp(name, "unshare") && n >= 1)
		guard_note_created((unsigned long)a[0], 0);
	else if (!strcmp(name, "mount") && n >= 4)
		note_mount((const char *)(long)a[1], (unsigned long)a[3]);
}

/* The parent pid (field 4) and process group (field 5) of pid, as the procfs opened at start numbers them. */
static int stat_of(long pid, long *ppid, long *pgrp)
{
	char rel[32], text[1024];
	snprintf(rel, sizeof rel, "%ld/stat", pid);
	if (proc_read(rel, text, sizeof text) < 0)
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
	if (pgrp == root_pid)
		return 1;
	for (int hops = 0; hops < 4096 && pid > 1; hops++) {
		if (pid == root_pid)
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
	if (proc_read(rel, text, sizeof text) < 0)
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
		const struct mount_attr *attr = (const struct mount_attr *)(long)a[3];
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
	struct stat st;
	if (n < 1 || fstatfs((int)a[0], &fs) || fs.f_type != NSFS_MAGIC || fstat((int)a[0], &st))
		return NULL;
	struct id id = {st.st_dev, st.st_ino};
	if (own && (in_list(own->start, own->nstart, id) || in_list(own->ns, own->nns, id)))
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

int guard_privatize_after(unsigned long flags, int was_own_mnt)
{
	if (!(flags & CLONE_NEWNS) || was_own_mnt)
		return 0;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 1 : -errno;
}
