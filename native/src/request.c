/* Requests from the harness: one line, a verb and key=value tokens (native/PROTOCOL.md). */
#define _GNU_SOURCE
#include "request.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *error, size_t size, const char *what, const char *word)
{
	snprintf(error, size, "%s: %.200s", what, word);
	return -1;
}

static int parse_number(const char *text, int base, unsigned long long *out)
{
	char *end;
	errno = 0;
	/* strtoull would skip blanks and accept a sign, turning "\t-1" into a huge number. */
	if (*text < '0' || *text > '9')
		return -1;
	*out = strtoull(text, &end, base);
	return errno || *end ? -1 : 0;
}

static int copy_word(char *dest, size_t size, const char *value)
{
	if (strcmp(value, "-") == 0) {
		dest[0] = '\0';
		return 0;
	}
	if (strlen(value) >= size)
		return -1;
	strcpy(dest, value);
	return 0;
}

static int parse_ops(const char *value, unsigned *ops)
{
	char copy[256];
	char *save = NULL;
	*ops = 0;
	if (strcmp(value, "-") == 0)
		return 0;
	if (strlen(value) >= sizeof copy)
		return -1;
	strcpy(copy, value);
	for (char *op = strtok_r(copy, ",", &save); op; op = strtok_r(NULL, ",", &save)) {
		if (strcmp(op, "msgget") == 0)
			*ops |= OP_MSGGET;
		else if (strcmp(op, "sethostname") == 0)
			*ops |= OP_SETHOSTNAME;
		else if (strcmp(op, "mount-tmpfs") == 0)
			*ops |= OP_MOUNT_TMPFS;
		else if (strcmp(op, "hang") == 0)
			*ops |= OP_HANG;
		else
			return -1;
	}
	return 0;
}

static int parse_flagsets(char *value, struct request *req)
{
	char *save = NULL;
	req->nflagsets = 0;
	for (char *word = strtok_r(value, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
		unsigned long long flags;
		if (req->nflagsets == MAX_FLAGSETS || parse_number(word, 0, &flags))
			return -1;
		req->flagsets[req->nflagsets++] = (unsigned long)flags;
	}
	return req->nflagsets ? 0 : -1;
}

static int parse_drop(const char *value, struct request *req)
{
	unsigned long long uid, gid;
	char copy[64];
	char *colon;
	req->drop = 0;
	req->drop_nested = 0;
	if (strcmp(value, "-") == 0)
		return 0;
	if (strlen(value) >= sizeof copy)
		return -1;
	strcpy(copy, value);
	colon = strchr(copy, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	char *nested = strchr(colon + 1, ':');
	if (nested) {
		if (strcmp(nested, ":nested") != 0)
			return -1;
		*nested = '\0';
		req->drop_nested = 1;
	}
	if (parse_number(copy, 10, &uid) || parse_number(colon + 1, 10, &gid) || uid > 0xfffffffeULL || gid > 0xfffffffeULL)
		return -1;
	req->drop = 1;
	req->drop_uid = (uid_t)uid;
	req->drop_gid = (gid_t)gid;
	return 0;
}

static int parse_token(char *token, struct request *req)
{
	char *eq = strchr(token, '=');
	unsigned long long n;
	if (!eq)
		return -1;
	*eq = '\0';
	const char *key = token;
	char *value = eq + 1;
	if (strcmp(key, "id") == 0)
		return parse_number(value, 10, &req->id);
	if (strcmp(key, "path") == 0) {
		if (strcmp(value, "clone3") == 0)
			req->path = PATH_CLONE3;
		else if (strcmp(value, "unshare") == 0)
			req->path = PATH_UNSHARE;
		else if (strcmp(value, "clone") == 0)
			req->path = PATH_CLONE;
		else
			return -1;
		return 0;
	}
	if (strcmp(key, "flags") == 0) {
		if (parse_number(value, 0, &n))
			return -1;
		req->flags = (unsigned long)n;
		return 0;
	}
	if (strcmp(key, "timeout") == 0) {
		if (parse_number(value, 10, &n) || n == 0 || n > 3600000)
			return -1;
		req->timeout_ms = (long)n;
		return 0;
	}
	if (strcmp(key, "passes") == 0) {
		if (parse_number(value, 10, &n) || n == 0 || n > 100000)
			return -1;
		req->passes = (long)n;
		return 0;
	}
	if (strcmp(key, "steps") == 0) {
		if (parse_number(value, 10, &n) || n > 256)
			return -1;
		req->nlines = (long)n;
		return 0;
	}
	if (strcmp(key, "drop") == 0)
		return parse_drop(value, req);
	if (strcmp(key, "scratch") == 0)
		return copy_word(req->scratch, sizeof req->scratch, value);
	if (strcmp(key, "hostname") == 0)
		return copy_word(req->hostname, sizeof req->hostname, value);
	if (strcmp(key, "ops") == 0)
		return parse_ops(value, &req->ops);
	if (strcmp(key, "flagsets") == 0)
		return parse_flagsets(value, req);
	return -1;
}

int parse_request(char *line, struct request *req, char *error, size_t error_size)
{
	char *save = NULL;
	char *verb = strtok_r(line, " ", &save);
	memset(req, 0, sizeof *req);
	req->timeout_ms = 10000;
	req->passes = 1;
	if (!verb)
		return fail(error, error_size, "bad request", "empty line");
	if (strcmp(verb, "run") == 0)
		req->verb = VERB_RUN;
	else if (strcmp(verb, "bench") == 0)
		req->verb = VERB_BENCH;
	else if (strcmp(verb, "script") == 0)
		req->verb = VERB_SCRIPT;
	else if (strcmp(verb, "quit") == 0)
		req->verb = VERB_QUIT;
	else
		return fail(error, error_size, "bad request: unknown verb", verb);
	for (char *token = strtok_r(NULL, " ", &save); token; token = strtok_r(NULL, " ", &save)) {
		char copy[128];
		snprintf(copy, sizeof copy, "%s", token);
		if (parse_token(token, req))
			return fail(error, error_size, "bad request: bad token", copy);
	}
	if (req->verb == VERB_BENCH && req->nflagsets == 0)
		return fail(error, error_size, "bad request", "bench needs flagsets=");
	return 0;
}
