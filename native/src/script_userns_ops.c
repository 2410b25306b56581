/* Script ops for user namespaces: the capability mask of this kernel, and how deep user namespaces nest. */
#define _GNU_SOURCE
#include "facts.h"
#include "json.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NEST_MAX 64

/* capmask: the full capability set of this kernel, as /proc/pid/status prints it ("full"); result cap_last_cap. */
static long long op_capmask(const struct step *st, struct json *j)
{
	(void)st;
	char text[32], mask[24];
	long n = read_text("/proc/sys/kernel/cap_last_cap", text, sizeof text);
	if (n < 0)
		return n;
	int last = 0;
	for (const char *p = text; *p >= '0' && *p <= '9'; p++)
		last = last * 10 + (*p - '0');
	if (last < 0 || last > 63)
		return -ERANGE;
	unsigned long long full = last == 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
	snprintf(mask, sizeof mask, "%016llx", full);
	json_key(j, "full");
	json_string(j, mask);
	return last;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int ret = n < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * nestuser [PRE]: unshare(CLONE_NEWUSER) and map uid/gid 0 to the previous level's ids, again and again, until
 * unshare fails (at most 64 times). The first PRE levels are made before counting. Fields: pre, created (the
 * levels made after those), deepest (= levels below the caller reached), stop (the errno name of the call that
 * failed, or "none"), stage ("unshare" or "map": which call failed). Result: created.
 */
static long long op_nestuser(const struct step *st, struct json *j)
{
	int ok = 1, made = 0, err = 0;
	long long pre = st->argc > 0 ? arg_number(st, 0, &ok) : 0;
	const char *stage = "unshare";
	char line[64];
	if (!ok || pre < 0 || pre > NEST_MAX)
		return -EINVAL;
	while (made < NEST_MAX) {
		unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
		if (unshare(CLONE_NEWUSER)) {
			err = errno;
			break;
		}
		snprintf(line, sizeof line, "0 %u 1", uid);
		int rc = write_text("/proc/self/setgroups", "deny");
		if (!rc)
			rc = write_text("/proc/self/uid_map", line);
		snprintf(line, sizeof line, "0 %u 1", gid);
		if (!rc)
			rc = write_text("/proc/self/gid_map", line);
		made++;
		if (rc) {
			err = -rc;
			stage = "map";
			break;
		}
	}
	int created = made > pre ? made - (int)pre : 0;
	json_key(j, "pre");
	json_int(j, pre);
	json_key(j, "created");
	json_int(j, created);
	json_key(j, "deepest");
	json_int(j, made);
	json_key(j, "stop");
	json_string(j, err ? errno_name(err) : "none");
	json_key(j, "stage");
	json_string(j, stage);
	return created;
}

NSC_OP("capmask", op_capmask, "", "full:text", "");
NSC_OP("nestuser", op_nestuser, "pre:int?", "pre:int created:int deepest:int stop:text stage:text", "call:unshare kind:user nested-user");
