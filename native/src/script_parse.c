/* Parses script step lines: "label op arg...", tokens percent-encoded, "end" closing a fork block. */
#define _GNU_SOURCE
#include "script_internal.h"

#include <stdio.h>
#include <string.h>

/* One hex digit's value, or -1: shared by the token decoder and the ops that take hex buffers. */
int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies the decoded token into the arena; NULL when it does not fit or is malformed. */
static const char *keep(struct script *s, const char *token)
{
	char *dest = s->arena + s->arena_used;
	size_t left = sizeof s->arena - s->arena_used, n = 0;
	for (const char *p = token; *p; p++) {
		char c = *p;
		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			p += 2;
		}
		if (n + 1 >= left)
			return NULL;
		dest[n++] = c;
	}
	dest[n] = '\0';
	s->arena_used += n + 1;
	return dest;
}

static int is_block(const char *op)
{
	return strcmp(op, "fork") == 0;
}

int script_add_line(struct script *s, char *line, char *error, size_t error_size)
{
	char *save = NULL;
	char *first = strtok_r(line, " ", &save);
	if (!first) {
		snprintf(error, error_size, "bad script: empty step line");
		return -1;
	}
	if (s->nsteps == SCRIPT_MAX_STEPS) {
		snprintf(error, error_size, "bad script: more than %d steps", SCRIPT_MAX_STEPS);
		return -1;
	}
	struct step *step = &s->steps[s->nsteps];
	memset(step, 0, sizeof *step);
	step->end = -1;
	if (strcmp(first, "end") == 0) {
		step->op = "end";
		s->nsteps++;
		return 0;
	}
	if (strlen(first) >= SCRIPT_LABEL) {
		snprintf(error, error_size, "bad script: label too long: %.40s", first);
		return -1;
	}
	strcpy(step->label, first);
	char *op = strtok_r(NULL, " ", &save);
	if (!op || !(step->op = keep(s, op))) {
		snprintf(error, error_size, "bad script: step %s has no op", first);
		return -1;
	}
	for (char *token = strtok_r(NULL, " ", &save); token; token = strtok_r(NULL, " ", &save)) {
		if (step->argc == SCRIPT_MAX_ARGS || !(step->argv[step->argc++] = keep(s, token))) {
			snprintf(error, error_size, "bad script: step %s: too many or malformed arguments", first);
			return -1;
		}
	}
	s->nsteps++;
	return 0;
}

int script_finish(struct script *s, char *error, size_t error_size)
{
	int open[SCRIPT_MAX_STEPS], depth = 0;
	for (int i = 0; i < s->nsteps; i++) {
		if (strcmp(s->steps[i].op, "end") == 0) {
			if (depth == 0) {
				snprintf(error, error_size, "bad script: \"end\" at step %d closes no block", i);
				return -1;
			}
			s->steps[open[--depth]].end = i;
		} else if (is_block(s->steps[i].op)) {
			open[depth++] = i;
		}
	}
	if (depth) {
		snprintf(error, error_size, "bad script: block %s is not closed", s->steps[open[depth - 1]].label);
		return -1;
	}
	return 0;
}
