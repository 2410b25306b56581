/* The created child: gathers its facts, runs the requested ops, reports, waits to be released. */
#define _GNU_SOURCE
#include "child.h"
#include "facts.h"
#include "io.h"
#include "json.h"
#include "names.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static char child_buf[32768];

static void write_op_result(struct json *j, const char *name, int ok, int err)
{
	json_key(j, name);
	if (ok) {
		json_begin_object(j);
		json_key(j, "ok");
		json_bool(j, 1);
		json_end_object(j);
	} else {
		json_errno(j, err);
	}
}

static void write_op_skipped(struct json *j, const char *name, const char *why)
{
	json_key(j, name);
	json_begin_object(j);
	json_key(j, "skipped");
	json_string(j, why);
	json_end_object(j);
}

static void write_op_value(struct json *j, const char *name, long long value)
{
	json_key(j, name);
	json_begin_object(j);
	json_key(j, "ok");
	json_bool(j, 1);
	json_key(j, "value");
	json_int(j, value);
	json_end_object(j);
}

static void run_msgget(struct json *j, const struct request *req)
{
	int id = msgget(req->msg_key, 0);
	if (id < 0)
		write_op_result(j, "msgget", 0, errno);
	else
		write_op_value(j, "msgget", id);
}

/* Host safety lives here too: the hostname is only set in a UTS namespace this request created. */
static void run_sethostname(struct json *j, const struct request *req)
{
	if (!(req->flags & CLONE_NEWUTS)) {
		write_op_skipped(j, "sethostname", "the request has no CLONE_NEWUTS");
		return;
	}
	int ok = sethostname(req->hostname, strlen(req->hostname)) == 0;
	write_op_result(j, "sethostname", ok, errno);
	/* Read back, so the judge sees the name the kernel now reports, not only that the call returned 0. */
	struct utsname names;
	if (uname(&names) != 0) {
		write_op_result(j, "gethostname", 0, errno);
		return;
	}
	json_key(j, "gethostname");
	json_begin_object(j);
	json_key(j, "ok");
	json_bool(j, 1);
	json_key(j, "text");
	json_string(j, names.nodename);
	json_end_object(j);
}

/* / is made recursively private first so nothing the child mounts can propagate to the host. */
static void run_mount_tmpfs(struct json *j, const struct request *req)
{
	struct stat st;
	int ok;
	if (!(req->flags & CLONE_NEWNS) || !*req->scratch) {
		write_op_skipped(j, "rprivate", "the request has no CLONE_NEWNS or no scratch dir");
		return;
	}
	ok = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
	write_op_result(j, "rprivate", ok, errno);
	if (!ok)
		return;
	if (mount("nsconform", req->scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k") != 0) {
		write_op_result(j, "mount-tmpfs", 0, errno);
		return;
	}
	if (stat(req->scratch, &st) == 0)
		write_op_value(j, "mount-tmpfs", (long long)st.st_dev);
	else
		write_op_result(j, "mount-tmpfs", 1, 0);
}

void run_child(const struct request *req, int record_fd, int release_fd)
{
	struct json j;
	char byte;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (req->ops & OP_HANG)
		for (;;)
			pause();
	json_init(&j, child_buf, sizeof child_buf);
	json_begin_object(&j);
	write_facts(&j, req->scratch);
	json_key(&j, "ops");
	json_begin_object(&j);
	if (req->ops & OP_MSGGET)
		run_msgget(&j, req);
	if (req->ops & OP_SETHOSTNAME)
		run_sethostname(&j, req);
	if (req->ops & OP_MOUNT_TMPFS)
		run_mount_tmpfs(&j, req);
	json_end_object(&j);
	json_end_object(&j);
	/* A truncated record would not parse: report nothing and let the harness call it an error. */
	if (!j.overflow)
		write_all(record_fd, child_buf, j.len);
	close(record_fd);
	while (read(release_fd, &byte, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}
