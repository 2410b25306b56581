/*
 * IPC-namespace ops: a POSIX queue created and removed at once, to probe the RLIMIT_MSGQUEUE budget that a
 * namespace's queues hold until they are destroyed (polled, never a fixed sleep).
 */
#define _GNU_SOURCE
#include "host_guard.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <mqueue.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ipc_mq_try NAME MAXMSG MSGSIZE: mq_open(O_CREAT|O_EXCL) of a queue that size, then close and unlink it; the result is mq_open's. */
static long long op_mq_try(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1;
	char name[256];
	if (st->argc < 3)
		return -EINVAL;
	if (!guard_own_ns("ipc")) {
		json_key(j, "guard");
		json_string(j, "host safety: queues are created and removed only in an IPC namespace the script created");
		return -EACCES;
	}
	snprintf(name, sizeof name, "%s", arg_text(st, 0, 0));
	struct mq_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.mq_maxmsg = arg_number(st, 1, &ok);
	attr.mq_msgsize = arg_number(st, 2, &ok2);
	if (!ok || !ok2 || name[0] == '/')
		return -EINVAL;
	long fd = syscall(SYS_mq_open, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &attr);
	if (fd < 0)
		return -errno;
	close((int)fd);
	syscall(SYS_mq_unlink, name);
	return 0;
}

/* Lowering the caller's own RLIMIT_MSGQUEUE changes nothing outside the script. */
NSC_SYSCALL("prlimit64", SYS_prlimit64);

NSC_OP("ipc_mq_try", op_mq_try, "name:text maxmsg:int msgsize:int", "guard:text", "");
