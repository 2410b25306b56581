/* Dropping to the unprivileged mode's ids, verified: no capability in any set and no securebits left. */
#define _GNU_SOURCE
#include "drop.h"
#include "io.h"
#include "names.h"
#include "request.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_IS_SET 1
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int setgroups_denied(void)
{
	char text[16] = "";
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	return n > 0 && strncmp(text, "deny", 4) == 0;
}

/* A user namespace whose uid and gid map the wanted ids onto the caller's own: root there, for now. */
static int enter_nested(const struct request *req, char *why, size_t size)
{
	char line[64];
	uid_t outer_uid = geteuid();
	gid_t outer_gid = getegid();
	if (unshare(CLONE_NEWUSER)) {
		snprintf(why, size, "nested user namespace for the drop: unshare(CLONE_NEWUSER): %s", errno_name(errno));
		return -1;
	}
	snprintf(line, sizeof line, "%u %u 1", (unsigned)req->drop_uid, (unsigned)outer_uid);
	if (write_file("/proc/self/uid_map", line)) {
		snprintf(why, size, "nested user namespace for the drop: uid_map \"%s\": %s", line, errno_name(errno));
		return -1;
	}
	snprintf(line, sizeof line, "%u %u 1", (unsigned)req->drop_gid, (unsigned)outer_gid);
	if (write_file("/proc/self/setgroups", "deny") || write_file("/proc/self/gid_map", line)) {
		snprintf(why, size, "nested user namespace for the drop: gid_map \"%s\": %s", line, errno_name(errno));
		return -1;
	}
	return 0;
}

/* Any capability or securebit still held, as a sentence; 0 when there is none. */
static int check_nothing_left(char *why, size_t size)
{
	struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capget, &header, data)) {
		snprintf(why, size, "capget after the drop: %s", errno_name(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		if (data[i].effective || data[i].permitted || data[i].inheritable) {
			snprintf(why, size, "capabilities left after the drop (word %d: effective 0x%x, permitted 0x%x, inheritable 0x%x)", i,
			         data[i].effective, data[i].permitted, data[i].inheritable);
			return -1;
		}
	}
	for (int cap = 0; cap < 64; cap++) {
		int set = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
		if (set < 0)
			break; /* EINVAL past cap_last_cap */
		if (set) {
			snprintf(why, size, "ambient capability %d left after the drop", cap);
			return -1;
		}
	}
	int bits = prctl(PR_GET_SECUREBITS);
	if (bits != 0) {
		snprintf(why, size, "securebits 0x%x left after the drop", bits < 0 ? 0 : bits);
		return -1;
	}
	return 0;
}

int drop_privileges(const struct request *req, char *why, size_t size)
{
	struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct none[2];
	memset(none, 0, sizeof none);
	/* Before the nested namespace, where setgroups is denied; SECBIT_NO_SETUID_FIXUP would keep caps across setresuid. */
	/* Where the runner's own namespace denies setgroups (unshare --map-root-user), its groups cannot be dropped: keep them. */
	if (setgroups(0, NULL) && !(errno == EPERM && setgroups_denied())) {
		snprintf(why, size, "setgroups(0): %s", errno_name(errno));
		return -1;
	}
	if (prctl(PR_GET_SECUREBITS) > 0 && prctl(PR_SET_SECUREBITS, 0, 0, 0, 0)) {
		snprintf(why, size, "clearing securebits 0x%x: %s", prctl(PR_GET_SECUREBITS), errno_name(errno));
		return -1;
	}
	if (req->drop_nested && enter_nested(req, why, size))
		return -1;
	if (setresgid(req->drop_gid, req->drop_gid, req->drop_gid) || setresuid(req->drop_uid, req->drop_uid, req->drop_uid)) {
		snprintf(why, size, "setresuid/setresgid to %u:%u: %s", (unsigned)req->drop_uid, (unsigned)req->drop_gid, errno_name(errno));
		return -1;
	}
	/* The inheritable set survives setresuid; ambient goes with permitted, cleared here all the same. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	syscall(SYS_capset, &header, none);
	if (check_nothing_left(why, size))
		return -1;
	/* Changing ids made us non-dumpable; a normal unprivileged process is dumpable. */
	prctl(PR_SET_DUMPABLE, 1);
	return 0;
}
