/*
 * Per-case cgroups: the harness makes the run's cgroup (cgroup v2, where root may) and names it in
 * NSCONFORM_CGROUP; each case gets a child of it that its first process joins before anything else,
 * so cgroup.kill ends the case whatever its processes did (setsid, a PID namespace of their own); before Linux
 * 5.14, which has no cgroup.kill, the pids its cgroup.procs lists are killed instead. Claims make their own
 * cgroups below it ({cgroup}): removed with it, however the case ended.
 */
#define _GNU_SOURCE
#include "case_cgroup.h"
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static char run_path[4096];
static int run_fd = -1;
static char name[64];
static int dir_fd = -1, procs_fd = -1, kill_fd = -1, events_fd = -1;
static unsigned long made;
static char path_text[4096 + 64];
static struct stat made_dir; /* the case cgroup's identity, for the guard: claims make their own cgroups below it */

void case_cgroup_open_from_env(void)
{
	const char *path = getenv("NSCONFORM_CGROUP");
	struct statfs fs;
	if (!path || !*path || strlen(path) >= sizeof run_path)
		return;
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstatfs(fd, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return;
	}
	snprintf(run_path, sizeof run_path, "%s", path);
	run_fd = fd;
}

int case_cgroup_make(void)
{
	if (run_fd < 0)
		return 0;
	snprintf(name, sizeof name, "case-%d-%lu", (int)getpid(), ++made);
	/* Journaled before it exists: a kill in between leaves a name the cleaner finds missing, never a cgroup it cannot name. */
	journal_note("cgroup %s/%s", run_path, name);
	/* 0755 as cgroupfs makes them: a dropped case that mounts cgroup2 in its own cgroup namespace has this as its root */
	if (mkdirat(run_fd, name, 0755))
		return -errno;
	dir_fd = openat(run_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	procs_fd = dir_fd < 0 ? -1 : openat(dir_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	kill_fd = dir_fd < 0 ? -1 : openat(dir_fd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
	int no_kill_file = kill_fd < 0 && errno == ENOENT; /* Linux < 5.14: case_cgroup_kill signals the listed pids */
	events_fd = dir_fd < 0 ? -1 : openat(dir_fd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (procs_fd < 0 || (kill_fd < 0 && !no_kill_file) || events_fd < 0 || fstat(dir_fd, &made_dir)) {
		int err = errno;
		case_cgroup_remove();
		return -err;
	}
	return 0;
}

int case_cgroup_fd(void)
{
	return dir_fd;
}

const char *case_cgroup_path(void)
{
	if (run_fd < 0 || !name[0])
		return NULL;
	snprintf(path_text, sizeof path_text, "%s/%s", run_path, name);
	return path_text;
}

int case_cgroup_is(dev_t dev, ino_t ino)
{
	return run_fd >= 0 && name[0] && made_dir.st_dev == dev && made_dir.st_ino == ino;
}

static void close_fds(void)
{
	int *fds[] = {&dir_fd, &procs_fd, &kill_fd, &events_fd};
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int case_cgroup_join(int born_inside)
{
	int rc = !born_inside && procs_fd >= 0 && write(procs_fd, "0", 1) != 1 ? -errno : 0;
	/* The case's own processes get none of the fds: they would reach its cgroup's kill switch and its membership. */
	close_fds();
	return rc;
}

/* cgroup.events says "populated 0" once every process has left (exited processes leave before they are reaped). */
static int populated(void)
{
	char text[128];
	ssize_t n = events_fd < 0 ? -1 : pread(events_fd, text, sizeof text - 1, 0);
	if (n <= 0)
		return 1;
	text[n] = '\0';
	return strstr(text, "populated 0") == NULL;
}

/*
 * Without cgroup.kill: SIGKILL to every pid cgroup.procs lists, read again until it lists none (a process may fork
 * between a read and its kill; a killed one is listed until it exits). Bounded: what is left, rmdir reports.
 */
static void kill_listed(void)
{
	for (int round = 0; round < 50; round++) {
		int fd = dir_fd < 0 ? -1 : openat(dir_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		char text[4096], *line = text;
		size_t have = 0;
		int listed = 0;
		ssize_t n;
		while ((n = read(fd, text + have, sizeof text - 1 - have)) > 0) {
			have += (size_t)n;
			text[have] = '\0';
			char *end;
			for (line = text; (end = strchr(line, '\n')); line = end + 1) {
				long pid = strtol(line, NULL, 10);
				if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
					listed++;
			}
			/* a partial last line waits for the next read */
			have = strlen(line);
			memmove(text, line, have + 1);
		}
		close(fd);
		if (!listed)
			return;
		usleep(1000);
	}
}

void case_cgroup_kill(int only_if_populated)
{
	if (dir_fd < 0 || (only_if_populated && !populated()))
		return;
	if (kill_fd < 0) {
		kill_listed();
		return;
	}
	/* The write costs milliseconds (it serialises with every fork on the machine): spared when the case has ended whole. */
	if (write(kill_fd, "1", 1) < 0) {
		/* nothing left to kill */
	}
}

/* rmdir, retried briefly while it is busy: a killed process leaves its cgroup as it exits, a moment after the kill. */
static int remove_dir(int parent, const char *leaf)
{
	int rc;
	for (int tries = 0; (rc = unlinkat(parent, leaf, AT_REMOVEDIR)) && errno == EBUSY && tries < 200; tries++)
		usleep(1000);
	return rc;
}

/*
 * The cgroups a claim made below its case's (killed at the deadline, say, before its own rmdir steps), leaves
 * first: a cgroup with children cannot be removed. Bounded in depth; anything deeper goes with the run's tree.
 */
static void remove_children(int dir, int depth)
{
	int fd = depth < 16 ? openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	DIR *listing = fd < 0 ? NULL : fdopendir(fd);
	if (!listing) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *entry;
	while ((entry = readdir(listing))) {
		if (entry->d_type != DT_DIR || strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		int child = openat(dir, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child >= 0) {
			remove_children(child, depth + 1);
			close(child);
		}
		/* Listed again from the start: removing entries while reading a directory may skip some. */
		if (remove_dir(dir, entry->d_name) == 0)
			rewinddir(listing);
	}
	closedir(listing);
}

void case_cgroup_remove(void)
{
	close_fds();
	if (run_fd < 0 || !name[0])
		return;
	int dir = openat(run_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir >= 0) {
		remove_children(dir, 0);
		close(dir);
	}
	int rc = remove_dir(run_fd, name);
	/* Left journaled otherwise: the harness removes the run's cgroup tree at its end, the cleaner after a kill. */
	if (rc == 0)
		journal_note("rmcgroup %s/%s", run_path, name);
	name[0] = '\0';
}
