/* The created child: gathers its facts, runs the requested ops, reports, waits to be released. */
#ifndef NSC_CHILD_H
#define NSC_CHILD_H

#include "request.h"

/* Never returns. record_fd gets the CHILD JSON; release_fd reads EOF when the creator is done. */
void run_child(const struct request *req, int record_fd, int release_fd) __attribute__((noreturn));

#endif
