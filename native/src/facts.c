/* What a process sees of itself, written as the FACTS fields of native/PROTOCOL.md. */
#define _GNU_SOURCE
#include "facts.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static char status_text[16384];
static char net_text[65536];
static char file_text[16384];

long read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			int err = errno;
			if (err == EINTR)
				continue;
			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return (long)len;
}

void proc_path(char *buf, size_t size, pid_t pid, const char *name)
{
	char digits[16];
	int d = 0;
	size_t i = 0;
	unsigned v = (unsigned)pid;
	const char *prefix = "/proc/";
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (*prefix && i + 1 < size)
		buf[i++] = *prefix++;
	while (d && i + 1 < size)
		buf[i++] = digits[--d];
	if (i + 1 < size)
		buf[i++] = '/';
	while (*name && i + 1 < size)
		buf[i++] = *name++;
	buf[i] = '\0';
}

/* The rest of the line after "field:", with leading blanks skipped; NULL if absent. */
static const char *find_field(const char *text, const char *field, size_t *len)
{
	size_t flen = strlen(field);
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			const char *value = line + flen + 1;
			const char *end;
			while (*value == ' ' || *value == '\t')
				value++;
			end = strchr(value, '\n');
			*len = end ? (size_t)(end - value) : strlen(value);
			return value;
		}
	}
	return NULL;
}

void write_nspid(struct json *j, const char *status)
{
	size_t len = 0;
	const char *value = find_field(status, "NSpid", &len);
	json_begin_array(j);
	for (size_t i = 0; value && i < len;) {
		unsigned long long n = 0;
		while (i < len && (value[i] < '0' || value[i] > '9'))
			i++;
		if (i == len)
			break;
		while (i < len && value[i] >= '0' && value[i] <= '9')
			n = n * 10 + (unsigned)(value[i++] - '0');
		json_uint(j, n);
	}
	json_end_array(j);
}

static void write_text_file(struct json *j, const char *key, const char *path)
{
	long n = read_text(path, file_text, sizeof file_text);
	json_key(j, key);
	if (n < 0)
		json_errno(j, (int)-n);
	else
		json_string_n(j, file_text, (size_t)n);
}

static void write_caps(struct json *j)
{
	static const char *const names[][2] = {
		{"inh", "CapInh"}, {"prm", "CapPrm"}, {"eff", "CapEff"}, {"bnd", "CapBnd"}, {"amb", "CapAmb"},
	};
	json_key(j, "caps");
	json_begin_object(j);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len = 0;
		const char *value = find_field(status_text, names[i][1], &len);
		json_key(j, names[i][0]);
		json_string_n(j, value ? value : "", value ? len : 0);
	}
	json_end_object(j);
}

static void write_ids(struct json *j)
{
	uid_t u[3];
	gid_t g[3];
	getresuid(&u[0], &u[1], &u[2]);
	getresgid(&g[0], &g[1], &g[2]);
	json_key(j, "uid");
	json_begin_array(j);
	for (int i = 0; i < 3; i++)
		json_uint(j, u[i]);
	json_end_array(j);
	json_key(j, "gid");
	json_begin_array(j);
	for (int i = 0; i < 3; i++)
		json_uint(j, g[i]);
	json_end_array(j);
}

static void write_ns_entry(struct json *j, const char *name)
{
	char path[64] = "/proc/self/ns/";
	char link[128];
	struct stat st;
	ssize_t n;
	strncat(path, name, sizeof path - strlen(path) - 1);
	json_key(j, name);
	if (stat(path, &st) < 0) {
		json_errno(j, errno);
		return;
	}
	n = readlink(path, link, sizeof link - 1);
	if (n < 0) {
		json_errno(j, errno);
		return;
	}
	json_begin_object(j);
	json_key(j, "ino");
	json_uint(j, st.st_ino);
	json_key(j, "dev");
	json_uint(j, st.st_dev);
	json_key(j, "link");
	json_string_n(j, link, (size_t)n);
	json_end_object(j);
}

/* readdir is not async-signal-safe; getdents64 is a plain system call. */
static void write_namespaces(struct json *j)
{
	char entries[4096];
	int fd = open("/proc/self/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	json_key(j, "ns");
	json_begin_object(j);
	if (fd >= 0) {
		long n;
		while ((n = syscall(SYS_getdents64, fd, entries, sizeof entries)) > 0) {
			for (long off = 0; off < n;) {
				/* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
				unsigned short reclen;
				const char *name = entries + off + 19;
				memcpy(&reclen, entries + off + 16, sizeof reclen);
				if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
					write_ns_entry(j, name);
				off += reclen;
			}
		}
		close(fd);
	}
	json_end_object(j);
}

static void write_interfaces(struct json *j)
{
	long n = read_text("/proc/self/net/dev", net_text, sizeof net_text);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	json_key(j, "interfaces");
	json_begin_array(j);
	if (n > 0) {
		/* Two header lines, then "  name: counters..." */
		char *line = strchr(net_text, '\n');
		line = line ? strchr(line + 1, '\n') : NULL;
		while (line && *++line) {
			char *colon = strchr(line, ':');
			char *next = strchr(line, '\n');
			struct ifreq ifr;
			char *name = line;
			if (!colon || (next && colon > next))
				break;
			while (*name == ' ')
				name++;
			memset(&ifr, 0, sizeof ifr);
			if ((size_t)(colon - name) < sizeof ifr.ifr_name)
				memcpy(ifr.ifr_name, name, (size_t)(colon - name));
			json_begin_object(j);
			json_key(j, "name");
			json_string_n(j, name, (size_t)(colon - name));
			json_key(j, "flags");
			if (sock >= 0 && ioctl(sock, SIOCGIFFLAGS, &ifr) == 0)
				json_int(j, (unsigned short)ifr.ifr_flags);
			else
				json_int(j, -1);
			json_end_object(j);
			line = next;
		}
	}
	json_end_array(j);
	if (sock >= 0)
		close(sock);
}

void write_facts(struct json *j, const char *scratch)
{
	struct utsname uts;
	long status_len = read_text("/proc/self/status", status_text, sizeof status_text);
	if (status_len < 0)
		status_text[0] = '\0';
	json_key(j, "pid");
	json_int(j, getpid());
	json_key(j, "ppid");
	json_int(j, getppid());
	write_ids(j);
	write_caps(j);
	write_namespaces(j);
	json_key(j, "nspid");
	write_nspid(j, status_text);
	uname(&uts);
	json_key(j, "hostname");
	json_string(j, uts.nodename);
	json_key(j, "domainname");
	json_string(j, uts.domainname);
	write_interfaces(j);
	write_text_file(j, "cgroup", "/proc/self/cgroup");
	write_text_file(j, "timensOffsets", "/proc/self/timens_offsets");
	write_text_file(j, "uidMap", "/proc/self/uid_map");
	write_text_file(j, "gidMap", "/proc/self/gid_map");
	write_text_file(j, "setgroups", "/proc/self/setgroups");
	if (scratch && *scratch) {
		struct stat st;
		json_key(j, "scratchDev");
		if (stat(scratch, &st) == 0)
			json_uint(j, st.st_dev);
		else
			json_null(j);
	}
}
