/* Dropping to the unprivileged mode's ids, verified: no capability in any set and no securebits left. */
#ifndef NSCONFORM_DROP_H
#define NSCONFORM_DROP_H

#include <stddef.h>
#include <sys/types.h>

struct request;

/*
 * Becomes uid:gid with empty effective, permitted, inheritable and ambient sets and securebits 0.
 * With req->drop_nested the ids are those of a new user namespace that maps them onto the caller's
 * own (for a runner whose user namespace maps no other id). Returns 0, or -1 with a sentence in why.
 */
int drop_privileges(const struct request *req, char *why, size_t size);

#endif
