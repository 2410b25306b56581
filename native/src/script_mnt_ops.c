/*
 * Mount-namespace ops: compact views of /proc/<pid>/mountinfo, mounts and mountstats (the raw files are too
 * long for one record), a comparison of two mountinfo files, and poll() on a mount table.
 */
#define _GNU_SOURCE
#include "containment.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TABLE_MAX 65536
#define MOUNTS_MAX 512
#define REL_MAX 256

static char table_a[TABLE_MAX + 1], table_b[TABLE_MAX + 1];

/* The whole file into buf (NUL-terminated); its length or -errno. */
static long slurp(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long n = 0;
	if (fd < 0)
		return -errno;
	while (n < TABLE_MAX) {
		ssize_t got = read(fd, buf + n, (size_t)(TABLE_MAX - n));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			close(fd);
			return -err;
		}
		if (got == 0)
			break;
		n += got;
	}
	/* A table cut short would be judged as if it were whole: say it is too big instead. */
	char extra;
	int more = n == TABLE_MAX && read(fd, &extra, 1) == 1;
	close(fd);
	buf[n] = '\0';
	return more ? -EFBIG : n;
}

enum format { MOUNTINFO, MOUNTS, MOUNTSTATS };

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

struct mount_line {
	char *field[64];
	int nfield;
	char *point;
	char *fs;
	char *opts;
	char *id;
	char *parent;
	char tags[256];
	int tags_cut;
};

/* Splits one line (modified in place) into the parts a format has; 0 when the line is not a mount. */
static int parse_line(char *line, enum format fmt, struct mount_line *m)
{
	memset(m, 0, sizeof *m);
	for (char *p = line; *p && m->nfield < 64;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		m->field[m->nfield++] = p;
		while (*p && *p != ' ')
			p++;
	}
	if (fmt == MOUNTINFO) {
		int dash = -1;
		for (int i = 6; i < m->nfield; i++)
			if (strcmp(m->field[i], "-") == 0) {
				dash = i;
				break;
			}
		if (m->nfield < 7 || dash < 0 || dash + 1 >= m->nfield)
			return 0;
		m->id = m->field[0];
		m->parent = m->field[1];
		m->point = m->field[4];
		m->opts = m->field[5];
		m->fs = m->field[dash + 1];
		/* The optional fields that fit, whole; the rest are counted as cut, never written past the buffer. */
		size_t len = 0;
		for (int i = 6; i < dash; i++) {
			size_t need = strlen(m->field[i]) + (len ? 1 : 0);
			if (need >= sizeof m->tags - len) {
				m->tags_cut = 1;
				break;
			}
			len += (size_t)snprintf(m->tags + len, sizeof m->tags - len, "%s%s", len ? " " : "", m->field[i]);
		}
		return 1;
	}
	if (fmt == MOUNTS) {
		if (m->nfield < 4)
			return 0;
		m->point = m->field[1];
		m->fs = m->field[2];
		m->opts = m->field[3];
		return 1;
	}
	/* mountstats: "device D mounted on P with fstype T [statvers=...]" */
	if (m->nfield < 8 || strcmp(m->field[0], "device") || strcmp(m->field[2], "mounted") || strcmp(m->field[5], "with"))
		return 0;
	m->point = m->field[4];
	m->fs = m->field[7];
	return 1;
}

/* The mount point relative to prefix: "@" for the prefix itself, NULL when it is not under it. */
static const char *relative(const char *point, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strcmp(prefix, "/") == 0)
		return point[1] ? point + 1 : "@";
	if (strncmp(point, prefix, n) != 0)
		return NULL;
	if (point[n] == '\0')
		return "@";
	return point[n] == '/' ? point + n + 1 : NULL;
}

/*
 * mounts PATH PREFIX: the mounts of a mount table (mountinfo, mounts or mountstats, by the file's name) whose
 * mount point is PREFIX or below it. r = how many; "total" = all mounts; "list" = their paths relative to PREFIX
 * in table order ("@" = PREFIX itself); "at" = per path (a repeat gets "#2", ...): fs, opts and, for mountinfo,
 * id, parent and "tags" (the optional fields: shared:N master:N propagate_from:N unbindable; "" = private).
 */
static long long op_mounts(const struct step *st, struct json *j)
{
	char path[4096], prefix[4096];
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	/* Mount tables show resolved paths: a prefix reached through a symlink (a TMPDIR, say) is resolved first. */
	if (!realpath(arg_text(st, 1, 1), prefix))
		snprintf(prefix, sizeof prefix, "%s", arg_text(st, 1, 1));
	enum format fmt = ends_with(path, "mountinfo") ? MOUNTINFO : ends_with(path, "mountstats") ? MOUNTSTATS : MOUNTS;
	long n = slurp(path, table_a);
	if (n < 0)
		return n;
	static struct mount_line lines[MOUNTS_MAX];
	static char keys[MOUNTS_MAX][REL_MAX];
	int total = 0, found = 0, list_cut = 0, skipped_bind = 0;
	static char scratch_real[4096];
	if (!realpath(script_scratch(), scratch_real))
		snprintf(scratch_real, sizeof scratch_real, "%s", script_scratch());
	char list[2048];
	size_t list_len = 0;
	list[0] = '\0';
	char *line = table_a, *next;
	for (; line && *line && total < MOUNTS_MAX; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		struct mount_line m;
		if (!parse_line(line, fmt, &m))
			continue;
		total++;
		const char *rel = relative(m.point, prefix);
		if (!rel)
			continue;
		/* The first mount on the scratch dir is containment's writable bind of it, not one the script made. */
		if (strcmp(rel, "@") == 0 && !skipped_bind && containment_active() && strcmp(prefix, scratch_real) == 0) {
			skipped_bind = 1;
			continue;
		}
		/* A path too long for a key is cut with room left for "#N", so cut paths still get keys of their own. */
		int rl = (int)strnlen(rel, REL_MAX - 8), repeats = 1;
		for (int k = 0; k < found; k++)
			if (strncmp(keys[k], rel, (size_t)rl) == 0 && (keys[k][rl] == '\0' || keys[k][rl] == '#'))
				repeats++;
		if (repeats > 1)
			snprintf(keys[found], REL_MAX, "%.*s#%d", rl, rel, repeats);
		else
			snprintf(keys[found], REL_MAX, "%.*s", rl, rel);
		if (!list_cut && strlen(keys[found]) + 1 < sizeof list - list_len)
			list_len += (size_t)snprintf(list + list_len, sizeof list - list_len, "%s%s", list_len ? " " : "", keys[found]);
		else
			list_cut = 1;
		lines[found++] = m;
	}
	if (total == MOUNTS_MAX && line && *line)
		return -EFBIG; /* more mounts than the table holds: a count cut short would be judged as whole */
	json_key(j, "total");
	json_int(j, total);
	json_key(j, "list");
	json_string(j, list);
	if (list_cut) {
		json_key(j, "listCut");
		json_bool(j, 1);
	}
	json_key(j, "at");
	json_begin_object(j);
	for (int k = 0; k < found; k++) {
		json_key(j, keys[k]);
		json_begin_object(j);
		json_key(j, "fs");
		json_string(j, lines[k].fs);
		if (lines[k].opts) {
			json_key(j, "opts");
			json_string(j, lines[k].opts);
		}
		if (fmt == MOUNTINFO) {
			json_key(j, "id");
			json_string(j, lines[k].id);
			json_key(j, "parent");
			json_string(j, lines[k].parent);
			json_key(j, "tags");
			json_string(j, lines[k].tags);
			if (lines[k].tags_cut) {
				json_key(j, "tagsCut");
				json_bool(j, 1);
			}
		}
		json_end_object(j);
	}
	json_end_object(j);
	return found;
}

/* Mount ids and points of a mountinfo text (modified in place); how many, or -EFBIG past MOUNTS_MAX. */
static int index_table(char *text, char **ids, char **points)
{
	int count = 0;
	char *line = text, *next;
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		struct mount_line m;
		if (!parse_line(line, MOUNTINFO, &m))
			continue;
		if (count == MOUNTS_MAX)
			return -EFBIG;
		ids[count] = m.id;
		points[count] = m.point;
		count++;
	}
	return count;
}

/* Insertion sort: the tables are short, and the order they list mounts in differs between namespaces. */
static void sort_names(char **names, int n)
{
	for (int i = 1; i < n; i++) {
		char *name = names[i];
		int k = i;
		for (; k > 0 && strcmp(names[k - 1], name) > 0; k--)
			names[k] = names[k - 1];
		names[k] = name;
	}
}

/*
 * mntcmp A B: two mountinfo files. "na", "nb" = mounts in each; "samePoints" = the same mount points (as a multiset:
 * a copy lists its mounts in its own order); "commonIds" = how many mount ids of A also appear in B. r = commonIds.
 */
static long long op_mntcmp(const struct step *st, struct json *j)
{
	static char *ids_a[MOUNTS_MAX], *points_a[MOUNTS_MAX], *ids_b[MOUNTS_MAX], *points_b[MOUNTS_MAX];
	char path_b[4096];
	snprintf(path_b, sizeof path_b, "%s", arg_text(st, 1, 1));
	long n = slurp(arg_text(st, 0, 0), table_a);
	if (n < 0)
		return n;
	n = slurp(path_b, table_b);
	if (n < 0)
		return n;
	int na = index_table(table_a, ids_a, points_a), nb = index_table(table_b, ids_b, points_b);
	if (na < 0 || nb < 0)
		return -EFBIG;
	int same = na == nb, common = 0;
	sort_names(points_a, na);
	sort_names(points_b, nb);
	for (int i = 0; same && i < na; i++)
		same = strcmp(points_a[i], points_b[i]) == 0;
	for (int i = 0; i < na; i++)
		for (int k = 0; k < nb; k++)
			if (strcmp(ids_a[i], ids_b[k]) == 0) {
				common++;
				break;
			}
	json_key(j, "na");
	json_int(j, na);
	json_key(j, "nb");
	json_int(j, nb);
	json_key(j, "samePoints");
	json_bool(j, same);
	json_key(j, "commonIds");
	json_int(j, common);
	return common;
}

/* pollfd FD EVENTS TIMEOUT_MS: one poll(); r = its result, "revents" and "pri" (POLLPRI is set). */
static long long op_pollfd(const struct step *st, struct json *j)
{
	int ok = 1;
	long long fd = arg_number(st, 0, &ok);
	long long events = arg_number(st, 1, &ok);
	long long timeout = arg_number(st, 2, &ok);
	if (!ok)
		return -EINVAL;
	struct pollfd p = {.fd = (int)fd, .events = (short)events};
	int rc;
	while ((rc = poll(&p, 1, (int)timeout)) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return -errno;
	json_key(j, "revents");
	json_int(j, p.revents);
	json_key(j, "pri");
	json_bool(j, (p.revents & POLLPRI) != 0);
	return rc;
}

NSC_OP("mounts", op_mounts, "table:text prefix:text", "total:int list:list listCut:bool at:object", "");
NSC_OP("mntcmp", op_mntcmp, "a:text b:text", "na:int nb:int samePoints:bool commonIds:int", "");
NSC_OP("pollfd", op_pollfd, "fd:int events:int timeoutMs:int", "revents:int pri:bool", "");
