/* The creator: drops ids, records its own facts, creates the child by the requested path, reports. */
#ifndef NSC_CREATOR_H
#define NSC_CREATOR_H

#include "request.h"

/*
 * Never returns. Writes to result_fd one framed line — "!reason", "C<body>" or "W<body part 1>" —
 * and after "W" waits for EOF on ack_fd (the observer has looked from outside), then writes part 2.
 */
void run_creator(const struct request *req, int result_fd, int ack_fd) __attribute__((noreturn));

#endif
