/*
 * sflow_in.c - raban's sFlow input: the UDP sockets of the listen lines and
 * the decoder and agent table of argus's libsflow (the same allow-list,
 * sample-rate-cap, sequence-loss accounting and weighting by sampling rate
 * as the daemon), turning each flow sample into a struct sample.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sflow_in.h"

static void on_malformed(void *ctx, const struct sflow_datagram *d, unsigned reason)
{
	struct sflow_in *in = ctx;
	if (reason >= SFR_COUNT)
		return;
	if (d && in->agent)
		in->agent->malformed[reason]++;
	else
		in->agents->malformed[reason]++;
	if (sflow_reason_is_error(reason))
		in->drop(in->ctx, d, sflow_reason_name(reason));
}

static bool on_datagram(void *ctx, const struct sflow_datagram *d)
{
	struct sflow_in *in = ctx;
	uint64_t denied = in->agents->denied, full = in->agents->table_full;

	in->agent = sflow_agents_datagram(in->agents, d, in->now_ms * 1000);
	if (!in->agent) {
		in->drop(in->ctx, d, in->agents->denied != denied ? "agent not listed in agents" :
			 in->agents->table_full != full ? "agent table full" : "refused");
		return false;
	}
	in->conf_agent = -1;
	for (unsigned i = 0; i < in->c->nagents && in->conf_agent < 0; i++)
		for (unsigned j = 0; j < in->c->agents[i].naddrs; j++)
			if (conf_prefix_match(&in->c->agents[i].addrs[j], d->agent_family, &d->agent)) {
				in->conf_agent = (int)i;
				break;
			}
	return true;
}

static void on_flow_sample(void *ctx, const struct sflow_datagram *d, const struct sflow_flow_sample *fs)
{
	struct sflow_in *in = ctx;
	struct sample s;
	unsigned reason;
	uint32_t rate;
	uint64_t frame;

	sflow_agents_flow_sample(in->agents, in->agent, fs);
	rate = sflow_agents_rate(in->agent, fs->rate, &reason);
	if (reason != SFR_COUNT)
		on_malformed(in, d, reason);
	if (!rate)
		return;
	memset(&s, 0, sizeof(s));
	if (fs->has_header && (fs->header_proto == SFLOW_HDR_ETHERNET || fs->header_proto == SFLOW_HDR_IPV4 ||
			       fs->header_proto == SFLOW_HDR_IPV6)) {
		if (!sample_from_header(&s, fs->header, fs->header_len, fs->header_proto == SFLOW_HDR_ETHERNET)) {
			in->not_ip++;
			return;
		}
		frame = fs->frame_length;
	} else if (fs->has_ip) {
		s.family = fs->ip_family;
		s.proto = (uint8_t)fs->ip_proto;
		s.src = fs->ip_src;
		s.dst = fs->ip_dst;
		s.sport = (uint16_t)fs->ip_sport;
		s.dport = (uint16_t)fs->ip_dport;
		s.tcpflags = (uint8_t)fs->ip_tcpflags;
		s.tos = (uint8_t)fs->ip_tos;
		frame = fs->ip_length;
	} else {
		on_malformed(in, d, fs->has_header ? SFR_HEADER_PROTO : SFR_NO_PACKET);
		return;
	}
	s.t_ms = in->now_ms;
	s.inif = fs->inif;
	s.outif = fs->outif;
	s.agent = in->conf_agent;
	s.pkts = rate;
	s.bytes = frame * rate;
	if (s.proto == 6 && (s.tcpflags & RA_TCP_SYN)) {
		if (s.tcpflags & RA_TCP_ACK)
			s.synacks = rate;
		else
			s.syns = s.flows = rate;
	}
	in->samples++;
	in->sample(in->ctx, &s);
}

/* The agents section as the agent table's allow-list and caps. */
static bool policy(struct sflow_agents *t, const struct conf *c, char *err, size_t errcap)
{
	sflow_agents_init(t);
	for (unsigned i = 0; i < c->nagents; i++)
		for (unsigned j = 0; j < c->agents[i].naddrs; j++) {
			struct sflow_allow a;
			struct ra_err e;
			memset(&a, 0, sizeof(a));
			a.family = c->agents[i].addrs[j].family;
			a.addr = c->agents[i].addrs[j].addr;
			a.prefix = c->agents[i].addrs[j].len;
			a.rate_cap = c->agents[i].rate_cap;
			ra_err_clear(&e);
			if (!sflow_agents_add_allow(t, &a, &e)) {
				snprintf(err, errcap, "agent %s: %s", c->agents[i].name, e.msg);
				return false;
			}
		}
	return true;
}

bool sflow_in_policy(struct sflow_in *in, const struct conf *c, char *err, size_t errcap)
{
	struct sflow_agents *t = malloc(sizeof(*t));

	if (!t) {
		snprintf(err, errcap, "out of memory for the agent table");
		return false;
	}
	if (!policy(t, c, err, errcap)) {
		free(t);
		return false;
	}
	free(in->agents);
	in->agents = t;
	in->c = c;
	return true;
}

bool sflow_in_init(struct sflow_in *in, const struct conf *c, char *err, size_t errcap)
{
	memset(in, 0, sizeof(*in));
	if (!sflow_in_policy(in, c, err, errcap))
		return false;
	in->cb.ctx = in;
	in->cb.datagram = on_datagram;
	in->cb.flow_sample = on_flow_sample;
	in->cb.malformed = on_malformed;
	for (unsigned i = 0; i < SFLOW_IN_MAX_SOCKS; i++)
		in->fds[i] = -1;
	return true;
}

void sflow_in_free(struct sflow_in *in)
{
	for (unsigned i = 0; i < in->nfds; i++)
		if (in->fds[i] >= 0)
			close(in->fds[i]);
	in->nfds = 0;
	free(in->agents);
	in->agents = NULL;
}

bool sflow_in_bind(struct sflow_in *in, char *err, size_t errcap)
{
	for (unsigned i = 0; i < in->c->nlistens && i < SFLOW_IN_MAX_SOCKS; i++) {
		const struct conf_listen *l = &in->c->listens[i];
		struct sockaddr_storage ss;
		socklen_t len;
		int fd, one = 1, buf = 32 << 20;
		memset(&ss, 0, sizeof(ss));
		if (strchr(l->host, ':')) {
			struct sockaddr_in6 *s6 = (void *)&ss;
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(l->port);
			inet_pton(AF_INET6, l->host, &s6->sin6_addr);
			len = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (void *)&ss;
			s4->sin_family = AF_INET;
			s4->sin_port = htons(l->port);
			inet_pton(AF_INET, l->host, &s4->sin_addr);
			len = sizeof(*s4);
		}
		fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			snprintf(err, errcap, "listen %s %u: %s", l->host, l->port, strerror(errno));
			return false;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
			snprintf(err, errcap, "listen %s %u: %s", l->host, l->port, strerror(errno));
			close(fd);
			return false;
		}
		in->fds[in->nfds++] = fd;
	}
	return true;
}

void sflow_in_datagram(struct sflow_in *in, const uint8_t *buf, size_t len, uint64_t now_ms)
{
	in->received++;
	in->now_ms = now_ms;
	in->agent = NULL;
	if (sflow_decode(buf, len, &in->cb, &in->scratch) == SFLOW_BAD)
		in->bad++;
	in->agent = NULL;
}

#define BATCH 32
unsigned sflow_in_read(struct sflow_in *in, int fd, uint64_t now_ms)
{
	static uint8_t bufs[BATCH][65536];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	unsigned total = 0;

	for (int rounds = 0; rounds < 64; rounds++) {
		int n;
		for (unsigned i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&m[i].msg_hdr, 0, sizeof(m[i].msg_hdr));
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, m, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			sflow_in_datagram(in, bufs[i], m[i].msg_len, now_ms);
		total += (unsigned)n;
		if (n < BATCH)
			break;
	}
	return total;
}
