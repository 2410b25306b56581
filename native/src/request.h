/* Requests from the harness: one line, a verb and key=value tokens (native/PROTOCOL.md). */
#ifndef NSC_REQUEST_H
#define NSC_REQUEST_H

#include <stddef.h>
#include <sys/types.h>

enum verb { VERB_RUN, VERB_BENCH, VERB_SCRIPT, VERB_QUIT };
enum path { PATH_CLONE3, PATH_UNSHARE, PATH_CLONE };

enum op {
	OP_MSGGET = 1 << 0,
	OP_SETHOSTNAME = 1 << 1,
	OP_MOUNT_TMPFS = 1 << 2,
	OP_HANG = 1 << 3,
};

#define MAX_FLAGSETS 1024
#define MAX_WORD 4096

struct request {
	enum verb verb;
	unsigned long long id;
	enum path path;
	unsigned long flags;
	int drop;
	/* drop=<uid>:<gid>:nested: the ids belong to a nested user namespace mapping them onto the observer's */
	int drop_nested;
	uid_t drop_uid;
	gid_t drop_gid;
	long timeout_ms;
	char scratch[MAX_WORD];
	char hostname[256];
	unsigned ops;
	/* Set by the observer when OP_MSGGET asks for a queue. */
	int msg_key;
	/* script only: how many step lines follow the request line */
	long nlines;
	/* bench only */
	long passes;
	size_t nflagsets;
	unsigned long flagsets[MAX_FLAGSETS];
};

/* Fills req from line; on a bad line returns -1 with a reason in error (and the id if it was read). */
int parse_request(char *line, struct request *req, char *error, size_t error_size);

#endif
