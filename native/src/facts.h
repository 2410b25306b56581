/* What a process sees of itself, written as the FACTS fields of native/PROTOCOL.md. */
#ifndef NSC_FACTS_H
#define NSC_FACTS_H

#include "json.h"

#include <stddef.h>
#include <sys/types.h>

/* Writes the FACTS fields into the object j has open; async-signal-safe calls only. */
void write_facts(struct json *j, const char *scratch);

/* Reads a whole file into buf (NUL-terminated); returns its length or -errno. */
long read_text(const char *path, char *buf, size_t size);

/* The numbers after "NSpid:" in a /proc/<pid>/status text, as a JSON array. */
void write_nspid(struct json *j, const char *status);

/* Formats "/proc/<pid>/<name>" into buf. */
void proc_path(char *buf, size_t size, pid_t pid, const char *name);

#endif
