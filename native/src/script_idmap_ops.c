/* Script ops for id maps: writes too large for a step argument. */
#define _GNU_SOURCE
#include "guard_files.h"
#include "json.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAD_MAX 8192

static char pad_buffer[PAD_MAX];

/*
 * padwrite PATH DATA SIZE: one write() of exactly SIZE bytes, DATA preceded by '0' characters, so an
 * id-map line keeps its meaning ("000…0 0 1" is "0 0 1") while the write reaches a chosen size, such as
 * the page size (user_namespaces(7): writes of page size or more are rejected).
 */
static long long op_padwrite(const struct step *st, struct json *j)
{
	char path[4096];
	int ok = 1;
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	const char *data = arg_text(st, 1, 1);
	long long size = arg_number(st, 2, &ok);
	size_t len = strlen(data);
	if (!ok || size < 0 || size > PAD_MAX || (size_t)size < len)
		return -EINVAL;
	const char *refused = NULL;
	int fd = guard_open(path, O_WRONLY | O_CLOEXEC, 0, &refused);
	if (refused)
		return guard_refusal(j, refused);
	if (fd < 0)
		return fd;
	memset(pad_buffer, '0', (size_t)size - len);
	memcpy(pad_buffer + (size_t)size - len, data, len);
	ssize_t n = write(fd, pad_buffer, (size_t)size);
	long long ret = n < 0 ? -errno : n;
	close(fd);
	json_key(j, "size");
	json_int(j, size);
	return ret;
}

NSC_OP("padwrite", op_padwrite, "path:text data:text size:int", "size:int guard:text", "");
