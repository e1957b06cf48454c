/*
 * event_sock -- session events for local programs on a Unix stream socket.
 *
 * Clients connect to the socket (default /tmp/openl2tpd.evt), subscribe to a
 * mask of events (session created 1, deleted 2, up 4, down 8, as the old
 * openl2tp; PPP up 16, PPP down 32) and receive one message per event, either
 * as fixed 16-byte binary frames or as one JSON object per line. The
 * protocol is in docs/event_sock.md.
 *
 * Hooks never block: they copy the event into a bounded queue and wake the
 * plugin's own thread, which accepts clients, reads subscriptions and writes
 * with non-blocking sends through a bounded per-client buffer. A client that
 * does not read is dropped (logged) when its buffer is full; the (N+1)th
 * client is refused (accepted and closed at once).
 *
 * Arguments (key=value, comma-separated, all optional):
 *   path=PATH      socket path (default /tmp/openl2tpd.evt)
 *   clients=N      at most N clients at once (default 5, 1..256)
 *   mode=0600|0660 socket file permissions (default 0600: root only)
 *   group=NAME|GID group of the socket file (with mode=0660)
 *   buffer=BYTES   per-client output buffer (default 65536, at least 1024)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "openl2tp_plugin.h"

/* MARK: - Protocol constants (docs/event_sock.md) */

#define EVT_SESSION_CREATED 0x01u
#define EVT_SESSION_DELETED 0x02u
#define EVT_SESSION_UP 0x04u
#define EVT_SESSION_DOWN 0x08u
#define EVT_PPP_UP 0x10u
#define EVT_PPP_DOWN 0x20u
#define EVT_ALL 0x3fu

#define EVT_FRAME_SIZE 16
#define EVT_FRAME_SUBSCRIBE 1
#define EVT_FRAME_EVENT 2
#define EVT_FRAME_SUBSCRIBED 3
#define EVT_FLAG_JSON 0x0001u
#define EVT_PROTOCOL_VERSION 1

#define EVT_DEFAULT_PATH "/tmp/openl2tpd.evt"
#define EVT_DEFAULT_CLIENTS 5
#define EVT_MAX_CLIENTS 256
#define EVT_DEFAULT_BUFFER 65536
#define EVT_MIN_BUFFER 1024
#define EVT_QUEUE_CAPACITY 4096
#define EVT_INPUT_LIMIT 256

/* MARK: - State */

struct evt_record {
    uint32_t event;
    uint16_t tunnel_id, session_id, peer_tunnel_id, peer_session_id;
    char user_name[128];
    char interface_name[32];
};

enum evt_mode { MODE_UNKNOWN, MODE_BINARY, MODE_TEXT };

struct evt_client {
    int fd; /* -1: free slot */
    unsigned number;
    enum evt_mode input_mode;
    int json;       /* events as JSON lines */
    uint32_t mask;  /* 0 until subscribed */
    char input[EVT_INPUT_LIMIT];
    size_t input_length;
    char *output;
    size_t output_length;
};

struct event_sock {
    const ol2tp_host_api_t *host;
    ol2tp_plugin_t *plugin;

    /* Configuration. */
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    mode_t mode;
    gid_t group;
    int has_group;
    unsigned max_clients;
    size_t buffer_limit;

    /* Owned by the plugin thread after init. */
    int listener;
    dev_t socket_device;
    ino_t socket_inode;
    struct evt_client *clients;
    struct evt_record *batch;
    unsigned next_number;

    /* Shared between hooks and the thread, under `lock`. */
    pthread_mutex_t lock;
    struct evt_record *queue;
    size_t queue_head, queue_count;
    unsigned long dropped_events;
    int stopping;
    int wake[2]; /* hooks write a byte to wake[1] when the queue was empty */
    pthread_t thread;
    int thread_started;

    /* Hook thread only: peer tunnel ids learnt from the tunnel hooks. */
    uint16_t peer_tunnel_id[65536];
};

static void evt_log(struct event_sock *self, int32_t level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void evt_log(struct event_sock *self, int32_t level, const char *format, ...)
{
    char message[512];
    va_list arguments;
    va_start(arguments, format);
    int n = vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    if (n < 0) return;
    if ((size_t)n >= sizeof message) n = (int)sizeof message - 1;
    self->host->log(self->plugin, level, message, (uint32_t)n);
}

/* MARK: - Formatting */

static void put16(unsigned char *at, uint16_t value)
{
    at[0] = (unsigned char)(value >> 8);
    at[1] = (unsigned char)value;
}

static void put32(unsigned char *at, uint32_t value)
{
    put16(at, (uint16_t)(value >> 16));
    put16(at + 2, (uint16_t)value);
}

static uint16_t get16(const unsigned char *at) { return (uint16_t)((at[0] << 8) | at[1]); }
static uint32_t get32(const unsigned char *at) { return ((uint32_t)get16(at) << 16) | get16(at + 2); }

static const char *event_name(uint32_t event)
{
    switch (event) {
    case EVT_SESSION_CREATED: return "session_created";
    case EVT_SESSION_DELETED: return "session_deleted";
    case EVT_SESSION_UP: return "session_up";
    case EVT_SESSION_DOWN: return "session_down";
    case EVT_PPP_UP: return "ppp_up";
    case EVT_PPP_DOWN: return "ppp_down";
    default: return "unknown";
    }
}

/* Appends `text` as a JSON string (quotes included); returns the new length. */
static size_t json_string(char *out, size_t at, size_t capacity, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    if (at < capacity) out[at] = '"';
    at++;
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        char escaped[7];
        size_t n = 0;
        if (*c == '"' || *c == '\\') {
            escaped[n++] = '\\';
            escaped[n++] = (char)*c;
        } else if (*c < 0x20 || *c == 0x7f) {
            escaped[n++] = '\\';
            escaped[n++] = 'u';
            escaped[n++] = '0';
            escaped[n++] = '0';
            escaped[n++] = hex[*c >> 4];
            escaped[n++] = hex[*c & 15];
        } else {
            escaped[n++] = (char)*c;
        }
        for (size_t i = 0; i < n; i++, at++)
            if (at < capacity) out[at] = escaped[i];
    }
    if (at < capacity) out[at] = '"';
    return at + 1;
}

/* Formats an event for one client; returns its length (0: does not fit). */
static size_t format_event(const struct evt_record *record, int json, char *out, size_t capacity)
{
    if (!json) {
        unsigned char *frame = (unsigned char *)out;
        if (capacity < EVT_FRAME_SIZE) return 0;
        put16(frame, EVT_FRAME_EVENT);
        put16(frame + 2, 0);
        put32(frame + 4, record->event);
        put16(frame + 8, record->tunnel_id);
        put16(frame + 10, record->session_id);
        put16(frame + 12, record->peer_tunnel_id);
        put16(frame + 14, record->peer_session_id);
        return EVT_FRAME_SIZE;
    }
    int n = snprintf(out, capacity, "{\"event\":\"%s\",\"tunnel_id\":%u,\"session_id\":%u", event_name(record->event),
                     record->tunnel_id, record->session_id);
    if (n < 0 || (size_t)n >= capacity) return 0;
    size_t at = (size_t)n;
    if (record->peer_tunnel_id != 0) {
        n = snprintf(out + at, capacity - at, ",\"peer_tunnel_id\":%u", record->peer_tunnel_id);
        if (n < 0 || (size_t)n >= capacity - at) return 0;
        at += (size_t)n;
    }
    if (record->peer_session_id != 0) {
        n = snprintf(out + at, capacity - at, ",\"peer_session_id\":%u", record->peer_session_id);
        if (n < 0 || (size_t)n >= capacity - at) return 0;
        at += (size_t)n;
    }
    static const char user_key[] = ",\"user_name\":", interface_key[] = ",\"interface\":";
    if (record->user_name[0] != '\0') {
        if (at + sizeof user_key >= capacity) return 0;
        memcpy(out + at, user_key, sizeof user_key - 1);
        at = json_string(out, at + sizeof user_key - 1, capacity, record->user_name);
    }
    if (record->interface_name[0] != '\0') {
        if (at + sizeof interface_key >= capacity) return 0;
        memcpy(out + at, interface_key, sizeof interface_key - 1);
        at = json_string(out, at + sizeof interface_key - 1, capacity, record->interface_name);
    }
    if (at + 2 > capacity) return 0;
    out[at++] = '}';
    out[at++] = '\n';
    return at;
}

/* MARK: - Clients (plugin thread only) */

static void client_close(struct event_sock *self, struct evt_client *client, int32_t level, const char *why)
{
    if (why != NULL) evt_log(self, level, "client %u %s", client->number, why);
    close(client->fd);
    client->fd = -1;
    client->output_length = 0;
}

/* Queues bytes for a client; drops the client if its buffer is full. */
static int client_append(struct event_sock *self, struct evt_client *client, const void *bytes, size_t length)
{
    if (client->output_length + length > self->buffer_limit) {
        char why[160];
        snprintf(why, sizeof why, "dropped: not reading (%zu bytes pending, buffer %zu)", client->output_length,
                 self->buffer_limit);
        client_close(self, client, OL2TP_LOG_WARNING, why);
        return -1;
    }
    memcpy(client->output + client->output_length, bytes, length);
    client->output_length += length;
    return 0;
}

static void client_flush(struct event_sock *self, struct evt_client *client)
{
    size_t sent_total = 0;
    while (sent_total < client->output_length) {
        ssize_t sent = send(client->fd, client->output + sent_total, client->output_length - sent_total,
                            MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0) {
            sent_total += (size_t)sent;
            continue;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        char why[96];
        snprintf(why, sizeof why, "disconnected: %s", sent < 0 ? strerror(errno) : "send returned 0");
        client_close(self, client, OL2TP_LOG_INFO, why);
        return;
    }
    memmove(client->output, client->output + sent_total, client->output_length - sent_total);
    client->output_length -= sent_total;
}

static void client_acknowledge(struct event_sock *self, struct evt_client *client)
{
    if (client->json) {
        char line[64];
        int n = snprintf(line, sizeof line, "{\"event\":\"subscribed\",\"mask\":%u}\n", client->mask);
        client_append(self, client, line, (size_t)n);
    } else {
        unsigned char frame[EVT_FRAME_SIZE] = {0};
        put16(frame, EVT_FRAME_SUBSCRIBED);
        put16(frame + 2, EVT_PROTOCOL_VERSION);
        put32(frame + 4, client->mask);
        client_append(self, client, frame, sizeof frame);
    }
}

static int parse_mask(const char *text, uint32_t *mask)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value > UINT32_MAX) return -1;
    *mask = (uint32_t)value & EVT_ALL;
    return 0;
}

/* A text-mode line: "json" (every event) or "json MASK". */
static int client_line(struct event_sock *self, struct evt_client *client, char *line)
{
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\r' || line[length - 1] == ' ' || line[length - 1] == '\t'))
        line[--length] = '\0';
    uint32_t mask = EVT_ALL;
    if (strncmp(line, "json", 4) != 0 || (line[4] != '\0' && line[4] != ' ') ||
        (line[4] == ' ' && parse_mask(line + 5, &mask) != 0)) {
        static const char error[] = "{\"event\":\"error\",\"message\":\"expected: json [MASK]\"}\n";
        return client_append(self, client, error, sizeof error - 1);
    }
    client->json = 1;
    client->mask = mask;
    client_acknowledge(self, client);
    return client->fd < 0 ? -1 : 0;
}

/* Consumes complete subscribe frames or lines from the client's input. */
static int client_parse(struct event_sock *self, struct evt_client *client)
{
    if (client->input_mode == MODE_UNKNOWN && client->input_length > 0)
        client->input_mode = client->input[0] == 0 ? MODE_BINARY : MODE_TEXT;
    size_t used = 0;
    if (client->input_mode == MODE_BINARY) {
        while (client->input_length - used >= EVT_FRAME_SIZE) {
            const unsigned char *frame = (const unsigned char *)client->input + used;
            used += EVT_FRAME_SIZE;
            if (get16(frame) != EVT_FRAME_SUBSCRIBE) {
                client_close(self, client, OL2TP_LOG_NOTICE, "dropped: sent a frame that is not a subscription");
                return -1;
            }
            client->json = (get16(frame + 2) & EVT_FLAG_JSON) != 0;
            client->mask = get32(frame + 4) & EVT_ALL;
            client_acknowledge(self, client);
            if (client->fd < 0) return -1;
        }
    } else {
        for (;;) {
            char *newline = memchr(client->input + used, '\n', client->input_length - used);
            if (newline == NULL) break;
            *newline = '\0';
            char *line = client->input + used;
            used = (size_t)(newline - client->input) + 1;
            if (client_line(self, client, line) != 0) return -1;
        }
        if (client->input_length - used == sizeof client->input) {
            client_close(self, client, OL2TP_LOG_NOTICE, "dropped: line too long");
            return -1;
        }
    }
    memmove(client->input, client->input + used, client->input_length - used);
    client->input_length -= used;
    return 0;
}

static void client_read(struct event_sock *self, struct evt_client *client)
{
    for (;;) {
        size_t room = sizeof client->input - client->input_length;
        if (room == 0) {
            client_close(self, client, OL2TP_LOG_NOTICE, "dropped: subscription message too long");
            return;
        }
        ssize_t received = recv(client->fd, client->input + client->input_length, room, MSG_DONTWAIT);
        if (received < 0 && errno == EINTR) continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (received <= 0) {
            client_close(self, client, OL2TP_LOG_DEBUG, "disconnected");
            return;
        }
        client->input_length += (size_t)received;
        if (client_parse(self, client) != 0) return;
    }
}

static void accept_clients(struct event_sock *self)
{
    for (;;) {
        int fd = accept4(self->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                evt_log(self, OL2TP_LOG_WARNING, "accept on %s: %s", self->path, strerror(errno));
            return;
        }
        struct evt_client *slot = NULL;
        for (unsigned i = 0; i < self->max_clients && slot == NULL; i++)
            if (self->clients[i].fd < 0) slot = &self->clients[i];
        if (slot == NULL) {
            evt_log(self, OL2TP_LOG_WARNING, "client refused: %u clients connected already (clients=%u)",
                    self->max_clients, self->max_clients);
            close(fd);
            continue;
        }
        char *output = slot->output;
        memset(slot, 0, sizeof *slot);
        slot->output = output;
        slot->fd = fd;
        slot->number = ++self->next_number;
        evt_log(self, OL2TP_LOG_DEBUG, "client %u connected", slot->number);
    }
}

/* MARK: - The plugin thread */

static void deliver(struct event_sock *self, const struct evt_record *record)
{
    /* Room for the longest event: both strings fully \u-escaped. */
    char message[256 + 6 * (sizeof record->user_name + sizeof record->interface_name)];
    for (unsigned i = 0; i < self->max_clients; i++) {
        struct evt_client *client = &self->clients[i];
        if (client->fd < 0 || (client->mask & record->event) == 0) continue;
        size_t length = format_event(record, client->json, message, sizeof message);
        if (length > 0) client_append(self, client, message, length);
    }
}

static void *event_thread(void *argument)
{
    struct event_sock *self = argument;
    struct pollfd *polls = calloc(self->max_clients + 2, sizeof *polls);
    if (polls == NULL) {
        evt_log(self, OL2TP_LOG_ERROR, "out of memory: event thread stopped");
        return NULL;
    }
    for (;;) {
        nfds_t count = 0;
        polls[count++] = (struct pollfd){.fd = self->wake[0], .events = POLLIN};
        polls[count++] = (struct pollfd){.fd = self->listener, .events = POLLIN};
        for (unsigned i = 0; i < self->max_clients; i++) {
            struct evt_client *client = &self->clients[i];
            polls[count++] = (struct pollfd){
                .fd = client->fd, /* negative: ignored by poll */
                .events = (short)(POLLIN | (client->output_length > 0 ? POLLOUT : 0)),
            };
        }
        if (poll(polls, count, -1) < 0 && errno != EINTR) {
            evt_log(self, OL2TP_LOG_ERROR, "poll: %s: event thread stopped", strerror(errno));
            break;
        }
        if (polls[0].revents & POLLIN) {
            char drain[64];
            while (read(self->wake[0], drain, sizeof drain) > 0) {
            }
        }
        pthread_mutex_lock(&self->lock);
        int stopping = self->stopping;
        size_t taken = 0;
        while (self->queue_count > 0) {
            self->batch[taken++] = self->queue[self->queue_head];
            self->queue_head = (self->queue_head + 1) % EVT_QUEUE_CAPACITY;
            self->queue_count--;
        }
        unsigned long dropped = self->dropped_events;
        self->dropped_events = 0;
        pthread_mutex_unlock(&self->lock);
        if (stopping) break;
        if (dropped > 0)
            evt_log(self, OL2TP_LOG_WARNING, "%lu events dropped: more than %d waiting", dropped, EVT_QUEUE_CAPACITY);

        /* Clients first: a subscription read now applies to the events taken
         * after it, never to events that happened before it was acknowledged. */
        for (unsigned i = 0; i < self->max_clients; i++) {
            struct evt_client *client = &self->clients[i];
            if (client->fd >= 0 && (polls[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
                client_read(self, client);
        }
        for (size_t i = 0; i < taken; i++) deliver(self, &self->batch[i]);
        for (unsigned i = 0; i < self->max_clients; i++)
            if (self->clients[i].fd >= 0 && self->clients[i].output_length > 0) client_flush(self, &self->clients[i]);
        if (polls[1].revents & POLLIN) accept_clients(self);
    }
    free(polls);
    return NULL;
}

/* MARK: - Hooks (daemon thread: copy, enqueue, wake; never block) */

static void enqueue(struct event_sock *self, const struct evt_record *record)
{
    pthread_mutex_lock(&self->lock);
    int was_empty = self->queue_count == 0;
    if (self->queue_count == EVT_QUEUE_CAPACITY) {
        self->dropped_events++;
    } else {
        self->queue[(self->queue_head + self->queue_count) % EVT_QUEUE_CAPACITY] = *record;
        self->queue_count++;
    }
    pthread_mutex_unlock(&self->lock);
    if (was_empty) {
        static const char byte = 1;
        /* Non-blocking pipe: if it is full the thread is awake anyway. */
        ssize_t ignored = write(self->wake[1], &byte, 1);
        (void)ignored;
    }
}

static void copy_string(struct event_sock *self, const ol2tp_session_t *session, uint32_t field, char *out,
                        size_t capacity)
{
    const char *value = NULL;
    uint32_t length = 0;
    out[0] = '\0';
    if (self->host->session_get_str(session, field, &value, &length) != 0 || value == NULL) return;
    size_t n = length < capacity - 1 ? length : capacity - 1;
    memcpy(out, value, n);
    out[n] = '\0';
}

static void session_event(struct event_sock *self, const ol2tp_session_t *session, uint32_t event)
{
    struct evt_record record = {.event = event};
    uint32_t value = 0;
    if (self->host->session_get_u32(session, OL2TP_SESSION_TUNNEL_ID, &value) == 0)
        record.tunnel_id = (uint16_t)value;
    if (self->host->session_get_u32(session, OL2TP_SESSION_ID, &value) == 0) record.session_id = (uint16_t)value;
    if (self->host->session_get_u32(session, OL2TP_SESSION_PEER_ID, &value) == 0)
        record.peer_session_id = (uint16_t)value;
    record.peer_tunnel_id = self->peer_tunnel_id[record.tunnel_id];
    copy_string(self, session, OL2TP_SESSION_USER_NAME, record.user_name, sizeof record.user_name);
    copy_string(self, session, OL2TP_SESSION_INTERFACE_NAME, record.interface_name, sizeof record.interface_name);
    enqueue(self, &record);
}

static void on_session_created(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_SESSION_CREATED); }
static void on_session_deleted(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_SESSION_DELETED); }
static void on_session_up(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_SESSION_UP); }
static void on_session_down(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_SESSION_DOWN); }
static void on_ppp_up(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_PPP_UP); }
static void on_ppp_down(void *u, const ol2tp_session_t *s) { session_event(u, s, EVT_PPP_DOWN); }

static void remember_tunnel(struct event_sock *self, const ol2tp_tunnel_t *tunnel)
{
    uint32_t id = 0, peer = 0;
    if (self->host->tunnel_get_u32(tunnel, OL2TP_TUNNEL_ID, &id) != 0 || id > 0xffff) return;
    if (self->host->tunnel_get_u32(tunnel, OL2TP_TUNNEL_PEER_ID, &peer) == 0) self->peer_tunnel_id[id] = (uint16_t)peer;
}

static int32_t on_tunnel_created(void *u, const ol2tp_tunnel_t *t, ol2tp_reply_t *reply)
{
    (void)reply;
    remember_tunnel(u, t);
    return OL2TP_ACCEPT;
}

static int32_t on_tunnel_authorize(void *u, const ol2tp_tunnel_t *t, ol2tp_reply_t *reply)
{
    (void)reply;
    remember_tunnel(u, t);
    return OL2TP_ACCEPT;
}

static void on_tunnel_up(void *u, const ol2tp_tunnel_t *t) { remember_tunnel(u, t); }

static void on_tunnel_deleted(void *u, const ol2tp_tunnel_t *t)
{
    struct event_sock *self = u;
    uint32_t id = 0;
    if (self->host->tunnel_get_u32(t, OL2TP_TUNNEL_ID, &id) == 0 && id <= 0xffff) self->peer_tunnel_id[id] = 0;
}

/* MARK: - Socket file */

/* Creates the listening socket without following a planted symlink and
 * without replacing anything that is not a stale socket. */
static int create_listener(struct event_sock *self)
{
    struct stat existing;
    if (lstat(self->path, &existing) == 0) {
        if (S_ISLNK(existing.st_mode)) {
            evt_log(self, OL2TP_LOG_ERROR, "refusing %s: it is a symbolic link (remove it if it is yours)", self->path);
            return -ELOOP;
        }
        if (!S_ISSOCK(existing.st_mode)) {
            evt_log(self, OL2TP_LOG_ERROR, "refusing %s: it exists and is not a socket", self->path);
            return -EEXIST;
        }
        /* A socket: in use by a live daemon, or stale from an earlier run. */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        memcpy(address.sun_path, self->path, strlen(self->path));
        int live = probe >= 0 && connect(probe, (struct sockaddr *)&address, sizeof address) == 0;
        if (probe >= 0) close(probe);
        if (live) {
            evt_log(self, OL2TP_LOG_ERROR, "refusing %s: another process is listening on it", self->path);
            return -EADDRINUSE;
        }
        if (unlink(self->path) != 0 && errno != ENOENT) {
            int error = errno;
            evt_log(self, OL2TP_LOG_ERROR, "cannot remove stale socket %s: %s", self->path, strerror(error));
            return -error;
        }
    } else if (errno != ENOENT) {
        int error = errno;
        evt_log(self, OL2TP_LOG_ERROR, "cannot inspect %s: %s", self->path, strerror(error));
        return -error;
    }

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        int error = errno;
        evt_log(self, OL2TP_LOG_ERROR, "socket: %s", strerror(error));
        return -error;
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    memcpy(address.sun_path, self->path, strlen(self->path));
    /* bind() creates the node itself and fails with EADDRINUSE if anything
     * (a symlink included) appeared meanwhile: it never follows a link. */
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int error = errno;
        evt_log(self, OL2TP_LOG_ERROR, "cannot bind %s: %s", self->path, strerror(error));
        close(fd);
        return -error;
    }
    /* Nobody can connect before listen(): set the permissions first. */
    struct stat created;
    int error = 0;
    if (lstat(self->path, &created) != 0 || !S_ISSOCK(created.st_mode)) {
        error = errno ? errno : EEXIST;
    } else if (self->has_group && lchown(self->path, (uid_t)-1, self->group) != 0) {
        error = errno;
    } else if (chmod(self->path, self->mode) != 0) {
        error = errno;
    } else if (listen(fd, 16) != 0) {
        error = errno;
    }
    if (error != 0) {
        evt_log(self, OL2TP_LOG_ERROR, "cannot set up %s: %s", self->path, strerror(error));
        close(fd);
        unlink(self->path);
        return -error;
    }
    self->listener = fd;
    self->socket_device = created.st_dev;
    self->socket_inode = created.st_ino;
    return 0;
}

/* MARK: - Loading and unloading */

static void event_sock_free(struct event_sock *self)
{
    if (self->clients != NULL) {
        for (unsigned i = 0; i < self->max_clients; i++) {
            if (self->clients[i].fd >= 0) close(self->clients[i].fd);
            free(self->clients[i].output);
        }
    }
    if (self->listener >= 0) {
        close(self->listener);
        struct stat current;
        /* Remove the socket file only if it is still the one we created. */
        if (lstat(self->path, &current) == 0 && current.st_dev == self->socket_device &&
            current.st_ino == self->socket_inode)
            unlink(self->path);
    }
    if (self->wake[0] >= 0) close(self->wake[0]);
    if (self->wake[1] >= 0) close(self->wake[1]);
    pthread_mutex_destroy(&self->lock);
    free(self->clients);
    free(self->queue);
    free(self->batch);
    free(self);
}

static void event_sock_destroy(void *user_data)
{
    struct event_sock *self = user_data;
    if (self->thread_started) {
        pthread_mutex_lock(&self->lock);
        self->stopping = 1;
        pthread_mutex_unlock(&self->lock);
        static const char byte = 1;
        ssize_t ignored = write(self->wake[1], &byte, 1);
        (void)ignored;
        pthread_join(self->thread, NULL);
    }
    event_sock_free(self);
}

static int parse_unsigned(const char *text, size_t length, int base, unsigned long *value)
{
    char digits[24];
    if (length == 0 || length >= sizeof digits) return -EINVAL;
    memcpy(digits, text, length);
    digits[length] = '\0';
    char *end = NULL;
    errno = 0;
    *value = strtoul(digits, &end, base);
    return errno != 0 || *end != '\0' || digits[0] == '-' ? -EINVAL : 0;
}

static int parse_arguments(struct event_sock *self, const char *args, uint32_t args_len)
{
    const char *cursor = args, *end = args + args_len;
    while (cursor < end) {
        const char *comma = memchr(cursor, ',', (size_t)(end - cursor));
        const char *item_end = comma ? comma : end;
        if (item_end == cursor) {
            cursor = item_end + 1;
            continue;
        }
        const char *equals = memchr(cursor, '=', (size_t)(item_end - cursor));
        if (equals == NULL) {
            evt_log(self, OL2TP_LOG_ERROR, "argument '%.*s' is not key=value", (int)(item_end - cursor), cursor);
            return -EINVAL;
        }
        size_t key_length = (size_t)(equals - cursor);
        const char *value = equals + 1;
        size_t value_length = (size_t)(item_end - value);
        unsigned long number = 0;
        int ok = 0;
#define KEY_IS(name) (key_length == sizeof(name) - 1 && memcmp(cursor, name, key_length) == 0)
        if (KEY_IS("path")) {
            ok = value_length > 0 && value_length < sizeof self->path && value[0] == '/' &&
                 memchr(value, '\0', value_length) == NULL;
            if (ok) {
                memcpy(self->path, value, value_length);
                self->path[value_length] = '\0';
            }
        } else if (KEY_IS("clients")) {
            ok = parse_unsigned(value, value_length, 10, &number) == 0 && number >= 1 && number <= EVT_MAX_CLIENTS;
            self->max_clients = (unsigned)number;
        } else if (KEY_IS("mode")) {
            ok = parse_unsigned(value, value_length, 8, &number) == 0 && (number == 0600 || number == 0660);
            self->mode = (mode_t)number;
        } else if (KEY_IS("buffer")) {
            ok = parse_unsigned(value, value_length, 10, &number) == 0 && number >= EVT_MIN_BUFFER &&
                 number <= (64ul << 20);
            self->buffer_limit = (size_t)number;
        } else if (KEY_IS("group")) {
            char name[64];
            if (value_length > 0 && value_length < sizeof name) {
                memcpy(name, value, value_length);
                name[value_length] = '\0';
                if (parse_unsigned(value, value_length, 10, &number) == 0) {
                    self->group = (gid_t)number;
                    ok = 1;
                } else {
                    struct group entry, *found = NULL;
                    char buffer[1024];
                    ok = getgrnam_r(name, &entry, buffer, sizeof buffer, &found) == 0 && found != NULL;
                    if (ok) self->group = found->gr_gid;
                }
                self->has_group = ok;
            }
        } else {
            evt_log(self, OL2TP_LOG_ERROR, "unknown argument '%.*s' (known: path, clients, mode, group, buffer)",
                    (int)key_length, cursor);
            return -EINVAL;
        }
#undef KEY_IS
        if (!ok) {
            evt_log(self, OL2TP_LOG_ERROR, "bad argument '%.*s'", (int)(item_end - cursor), cursor);
            return -EINVAL;
        }
        cursor = item_end + 1;
    }
    return 0;
}

static int32_t event_sock_init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args,
                               uint32_t args_len)
{
    struct event_sock *self = calloc(1, sizeof *self);
    if (self == NULL) return -ENOMEM;
    self->host = host;
    self->plugin = plugin;
    self->listener = -1;
    self->wake[0] = self->wake[1] = -1;
    pthread_mutex_init(&self->lock, NULL);
    memcpy(self->path, EVT_DEFAULT_PATH, sizeof EVT_DEFAULT_PATH);
    self->max_clients = EVT_DEFAULT_CLIENTS;
    self->mode = 0600;
    self->buffer_limit = EVT_DEFAULT_BUFFER;

    int rc = parse_arguments(self, args, args_len);
    if (rc == 0) {
        self->clients = calloc(self->max_clients, sizeof *self->clients);
        self->queue = calloc(EVT_QUEUE_CAPACITY, sizeof *self->queue);
        self->batch = calloc(EVT_QUEUE_CAPACITY, sizeof *self->batch);
        for (unsigned i = 0; self->clients != NULL && i < self->max_clients; i++) self->clients[i].fd = -1;
        if (self->clients == NULL || self->queue == NULL || self->batch == NULL) rc = -ENOMEM;
        for (unsigned i = 0; rc == 0 && i < self->max_clients; i++) {
            self->clients[i].output = malloc(self->buffer_limit);
            if (self->clients[i].output == NULL) rc = -ENOMEM;
        }
    }
    if (rc == 0 && pipe2(self->wake, O_NONBLOCK | O_CLOEXEC) != 0) rc = -errno;
    if (rc == 0) rc = create_listener(self);
    if (rc == 0) {
        /* The thread blocks every signal: the daemon's handlers (SIGTERM,
         * SIGCHLD for pppd) must not run on it. It inherits this mask. */
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        int error = pthread_create(&self->thread, NULL, event_thread, self);
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
        if (error != 0) {
            evt_log(self, OL2TP_LOG_ERROR, "cannot start the event thread: %s", strerror(error));
            rc = -error;
        } else {
            self->thread_started = 1;
        }
    }
    if (rc == 0) {
        ol2tp_hooks_t hooks = {
            .size = sizeof hooks,
            .tunnel_created = on_tunnel_created,
            .tunnel_authorize = on_tunnel_authorize,
            .tunnel_up = on_tunnel_up,
            .tunnel_deleted = on_tunnel_deleted,
            .session_created = on_session_created,
            .session_up = on_session_up,
            .session_down = on_session_down,
            .session_deleted = on_session_deleted,
            .ppp_up = on_ppp_up,
            .ppp_down = on_ppp_down,
        };
        rc = host->register_hooks(plugin, &hooks, self, event_sock_destroy);
        if (rc == 0) {
            evt_log(self, OL2TP_LOG_INFO, "listening on %s (mode %04o, at most %u clients)", self->path,
                    (unsigned)self->mode, self->max_clients);
            return 0;
        }
    }
    if (rc == -ENOMEM) evt_log(self, OL2TP_LOG_ERROR, "out of memory");
    event_sock_destroy(self);
    return rc;
}

OL2TP_PLUGIN_DEFINE("event_sock", "1.0", event_sock_init)
