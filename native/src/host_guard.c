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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
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
static int start_root = -1;
static pid_t root_pid;
static dev_t start_devs[MAX_START_DEVS];
static int nstart_devs;

int guard_proc_read(const char *rel, char *buf, size_t size)
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
	if (guard_proc_read("thread-self/mountinfo", table, sizeof table) < 0)
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
	if (start_root >= 0)
		close(start_root);
	start_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
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

int guard_known_ns_fd(int fd)
{
	struct stat st;
	if (!own || fstat(fd, &st))
		return 0;
	struct id id = {st.st_dev, st.st_ino};
	return in_list(own->start, own->nstart, id) || in_list(own->ns, own->nns, id);
}

int guard_start_tree_has(const char *path, int fd)
{
	struct stat there, here;
	/* Looked up through the root fd the script started with: its mounts, not any the caller made since. */
	return start_root >= 0 && path[0] == '/' && fstatat(start_root, path + 1, &there, 0) == 0 && fstat(fd, &here) == 0 &&
	       there.st_dev == here.st_dev && there.st_ino == here.st_ino;
}

pid_t guard_root_pid(void)
{
	return root_pid;
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

int guard_privatize_after(unsigned long flags, int was_own_mnt)
{
	if (!(flags & CLONE_NEWNS) || was_own_mnt)
		return 0;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 1 : -errno;
}
