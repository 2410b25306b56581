/* A JSON writer into a fixed buffer: no allocation, so the child may use it after clone. */
#ifndef NSC_JSON_H
#define NSC_JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 16

struct json {
	char *buf;
	size_t cap;
	size_t len;
	int overflow;
	int depth;
	int after_key;
	unsigned count[JSON_MAX_DEPTH];
};

void json_init(struct json *j, char *buf, size_t cap);
void json_raw(struct json *j, const char *text, size_t n);
/* A value already rendered as JSON (e.g. the child's record), placed like any other value. */
void json_raw_value(struct json *j, const char *text, size_t n);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_string_n(struct json *j, const char *s, size_t n);
void json_uint(struct json *j, unsigned long long v);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* {"errno":"NAME"} for a failed call. */
void json_errno(struct json *j, int err);

#endif
