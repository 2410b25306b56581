/*
 * Network-namespace ops for suites/net: the devices the caller's net namespace has, and a veth pair made
 * over rtnetlink. Both refuse to change anything in the host's net namespace (spec note 11).
 */
#define _GNU_SOURCE
#include "host_guard.h"
#include "facts.h"
#include "script_internal.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static char dev_text[8192];

/*
 * ifaces: every device in /proc/self/net/dev as "names" (space-separated, file order) and the ones with
 * IFF_UP as "up"; the result is the number of devices.
 */
static long long op_ifaces(const struct step *st, struct json *j)
{
	char names[1024] = "", up[1024] = "";
	long long count = 0;
	(void)st;
	long n = read_text("/proc/self/net/dev", dev_text, sizeof dev_text);
	if (n < 0)
		return n;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	char *line = strchr(dev_text, '\n');
	line = line ? strchr(line + 1, '\n') : NULL;
	while (line && *++line) {
		char *colon = strchr(line, ':');
		char *next = strchr(line, '\n');
		char *name = line;
		struct ifreq ifr;
		if (!colon || (next && colon > next))
			break;
		while (*name == ' ')
			name++;
		size_t len = (size_t)(colon - name);
		memset(&ifr, 0, sizeof ifr);
		if (len < sizeof ifr.ifr_name)
			memcpy(ifr.ifr_name, name, len);
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%.*s", used ? " " : "", (int)len, name);
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP)) {
			used = strlen(up);
			snprintf(up + used, sizeof up - used, "%s%.*s", used ? " " : "", (int)len, name);
		}
		count++;
		line = next;
	}
	close(sock);
	json_key(j, "names");
	json_string(j, names);
	json_key(j, "up");
	json_string(j, up);
	return count;
}

struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[512];
};

static struct rtattr *add_attr(struct nlmsghdr *nh, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void end_nest(struct nlmsghdr *nh, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)nh + nh->nlmsg_len - (char *)nest);
}

/*
 * veth NAME PEER PEER_NETNS_FD: RTM_NEWLINK of a veth pair, NAME in the caller's net namespace and PEER
 * moved into the namespace the fd names; the result is NAME's ifindex. Only from a net namespace the script created.
 */
static long long op_veth(const struct step *st, struct json *j)
{
	int ok = 1;
	char name[IFNAMSIZ], peer[IFNAMSIZ];
	if (st->argc < 3)
		return -EINVAL;
	snprintf(name, sizeof name, "%s", arg_text(st, 0, 0));
	snprintf(peer, sizeof peer, "%s", arg_text(st, 1, 1));
	int peer_fd = (int)arg_number(st, 2, &ok);
	if (!ok)
		return -EINVAL;
	if (!guard_own_ns("net") || !guard_own_ns_fd(peer_fd, "net")) {
		json_key(j, "guard");
		json_string(j, "host safety: veth pairs only between net namespaces the script created (the peer's fd included)");
		return -EACCES;
	}
	struct nl_req req;
	memset(&req, 0, sizeof req);
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	req.ifi.ifi_family = AF_UNSPEC;
	add_attr(&req.nh, IFLA_IFNAME, name, strlen(name) + 1);
	struct rtattr *linkinfo = add_attr(&req.nh, IFLA_LINKINFO, NULL, 0);
	add_attr(&req.nh, IFLA_INFO_KIND, "veth", 4);
	struct rtattr *data = add_attr(&req.nh, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *peer_info = add_attr(&req.nh, VETH_INFO_PEER, NULL, 0);
	struct ifinfomsg peer_ifi;
	memset(&peer_ifi, 0, sizeof peer_ifi);
	peer_ifi.ifi_family = AF_UNSPEC;
	/* The peer's ifinfomsg sits right after the VETH_INFO_PEER header, then its own attributes. */
	memcpy((char *)&req + req.nh.nlmsg_len, &peer_ifi, sizeof peer_ifi); /* offset into the whole request, not the header */
	req.nh.nlmsg_len += NLMSG_ALIGN(sizeof peer_ifi);
	add_attr(&req.nh, IFLA_IFNAME, peer, strlen(peer) + 1);
	add_attr(&req.nh, IFLA_NET_NS_FD, &peer_fd, sizeof peer_fd);
	end_nest(&req.nh, peer_info);
	end_nest(&req.nh, data);
	end_nest(&req.nh, linkinfo);

	int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0)
		return -errno;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	long long ret = 0;
	if (sendto(sock, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
		ret = -errno;
	} else {
		char answer[1024];
		ssize_t n = recv(sock, answer, sizeof answer, 0);
		struct nlmsghdr *reply = (struct nlmsghdr *)answer;
		if (n < 0)
			ret = -errno;
		else if ((size_t)n < sizeof *reply || reply->nlmsg_type != NLMSG_ERROR)
			ret = -EPROTO;
		else
			ret = ((struct nlmsgerr *)NLMSG_DATA(reply))->error; /* 0 or -errno */
	}
	if (ret == 0) {
		/* The result is the new device's index, as SIOCGIFINDEX gives it. */
		struct ifreq ifr;
		int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&ifr, 0, sizeof ifr);
		memcpy(ifr.ifr_name, name, strlen(name));
		ret = ctl < 0 ? -errno : ioctl(ctl, SIOCGIFINDEX, &ifr) == 0 ? ifr.ifr_ifindex : -errno;
		if (ctl >= 0)
			close(ctl);
	}
	close(sock);
	return ret;
}

NSC_OP("ifaces", op_ifaces, "", "names:text up:text", "");
NSC_OP("veth", op_veth, "name:text peer:text peerNetFd:int", "guard:text", "");
