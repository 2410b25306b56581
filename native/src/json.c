/* A JSON writer into a fixed buffer: no allocation, so the child may use it after clone. */
#include "json.h"
#include "names.h"

#include <string.h>

void json_init(struct json *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = 0;
	j->depth = 0;
	j->after_key = 0;
	memset(j->count, 0, sizeof j->count);
	if (cap)
		buf[0] = '\0';
}

void json_raw(struct json *j, const char *text, size_t n)
{
	if (j->overflow || j->len + n + 1 > j->cap) {
		j->overflow = 1;
		return;
	}
	memcpy(j->buf + j->len, text, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void put(struct json *j, const char *text)
{
	json_raw(j, text, strlen(text));
}

/* A comma before every value but the first of its object or array, and none right after a key. */
static void separate(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0 && j->count[j->depth]++ > 0)
		put(j, ",");
}

static void open_scope(struct json *j, const char *bracket)
{
	separate(j);
	put(j, bracket);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	else
		j->overflow = 1;
	j->count[j->depth] = 0;
}

static void close_scope(struct json *j, const char *bracket)
{
	put(j, bracket);
	if (j->depth > 0)
		j->depth--;
}

void json_begin_object(struct json *j) { open_scope(j, "{"); }
void json_end_object(struct json *j) { close_scope(j, "}"); }
void json_begin_array(struct json *j) { open_scope(j, "["); }
void json_end_array(struct json *j) { close_scope(j, "]"); }

static void put_escaped(struct json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	put(j, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			json_raw(j, esc, 2);
		} else if (c == '\n') {
			json_raw(j, "\\n", 2);
		} else if (c == '\t') {
			json_raw(j, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			json_raw(j, esc, 6);
		} else {
			json_raw(j, (const char *)&s[i], 1);
		}
	}
	put(j, "\"");
}

void json_raw_value(struct json *j, const char *text, size_t n)
{
	separate(j);
	json_raw(j, text, n);
}

void json_key(struct json *j, const char *key)
{
	separate(j);
	put_escaped(j, key, strlen(key));
	put(j, ":");
	j->after_key = 1;
}

void json_string_n(struct json *j, const char *s, size_t n)
{
	separate(j);
	put_escaped(j, s, n);
}

void json_string(struct json *j, const char *s) { json_string_n(j, s, strlen(s)); }

void json_uint(struct json *j, unsigned long long v)
{
	char digits[24];
	int i = (int)sizeof digits;
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	separate(j);
	json_raw(j, digits + i, sizeof digits - (size_t)i);
}

void json_int(struct json *j, long long v)
{
	if (v >= 0) {
		json_uint(j, (unsigned long long)v);
		return;
	}
	separate(j);
	put(j, "-");
	j->after_key = 1; /* the digits follow the sign without a comma */
	json_uint(j, (unsigned long long)(-(v + 1)) + 1);
}

void json_bool(struct json *j, int v)
{
	separate(j);
	put(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	separate(j);
	put(j, "null");
}

void json_errno(struct json *j, int err)
{
	json_begin_object(j);
	json_key(j, "errno");
	json_string(j, errno_name(err));
	json_end_object(j);
}
