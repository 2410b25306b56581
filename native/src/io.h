/* Whole writes to pipes and files, retried on EINTR and short writes. */
#ifndef NSC_IO_H
#define NSC_IO_H

#include <stddef.h>

void write_all(int fd, const char *buf, size_t len);

#endif
