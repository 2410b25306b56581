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

/*
 * A label is what the builder makes (harness/script/builder.ts): a letter, then letters, digits or '_', at most
 * SCRIPT_LABEL - 1 in all. So none starts with '_' (the observer's own names) and none is cut short to match another.
 */
static const char *label_problem(const char *label)
{
	size_t n = strlen(label);
	if (n >= SCRIPT_LABEL)
		return "is longer than 31 characters";
	if (!((label[0] >= 'A' && label[0] <= 'Z') || (label[0] >= 'a' && label[0] <= 'z')))
		return "does not start with a letter";
	for (size_t i = 1; i < n; i++) {
		char c = label[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return "has a character other than a letter, digit or '_'";
	}
	return NULL;
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
	char *op = strtok_r(NULL, " ", &save);
	if (strcmp(first, "end") == 0) {
		if (op) {
			snprintf(error, error_size, "bad script: step %d: \"end\" closes a block and takes nothing after it (it is no label)", s->nsteps);
			return -1;
		}
		step->op = "end";
		s->nsteps++;
		return 0;
	}
	const char *problem = label_problem(first);
	if (problem) {
		snprintf(error, error_size, "bad script: step %d: label \"%.40s%s\" %s", s->nsteps, first, strlen(first) > 40 ? "..." : "", problem);
		return -1;
	}
	strcpy(step->label, first);
	if (!op) {
		snprintf(error, error_size, "bad script: step %s has no op", first);
		return -1;
	}
	if (!(step->op = keep(s, op))) {
		snprintf(error, error_size, "bad script: step %s: op malformed or the script's %d-byte text area is full", first, SCRIPT_ARENA);
		return -1;
	}
	for (char *token = strtok_r(NULL, " ", &save); token; token = strtok_r(NULL, " ", &save)) {
		if (step->argc == SCRIPT_MAX_ARGS) {
			snprintf(error, error_size, "bad script: step %s: more than %d arguments", first, SCRIPT_MAX_ARGS);
			return -1;
		}
		if (!(step->argv[step->argc++] = keep(s, token))) {
			snprintf(error, error_size, "bad script: step %s: argument %d malformed (bad %%XX) or the script's %d-byte text area is full", first, step->argc, SCRIPT_ARENA);
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
