/*
 * openl2tp_plugin.h -- the openl2tpd plugin ABI.
 *
 * This header is the ONLY public interface between openl2tpd and its plugins.
 * A plugin is a shared object (built with `cc -shared -fPIC`) that exports one
 * function, OL2TP_PLUGIN_ENTRY_SYMBOL, returning a static descriptor. Nothing
 * else of the daemon is visible to a plugin: only fixed-width integers,
 * `const char *` with explicit lengths, function pointers and opaque handles
 * cross this boundary.
 *
 * Versioning (see plugin-sdk/README.md):
 *  - OL2TP_PLUGIN_ABI_MAJOR changes only when an existing field, hook or
 *    convention changes meaning. The daemon refuses a plugin of another major.
 *  - OL2TP_PLUGIN_ABI_MINOR grows when something is appended. Structures that
 *    can grow start with their `size`; fields are only ever added at the end,
 *    and a reader copies min(size, sizeof) into a zeroed struct, so an older
 *    peer sees zero (NULL) for what it does not know.
 *
 * Threading: every hook runs on the daemon's event loop thread and must not
 * block. Handles passed to a hook are valid only until that hook returns.
 * A decision that needs a network round trip (RADIUS, a B-RAS policy server,
 * an address pool) is deferred (ABI 1.2): the hook calls reply_defer, returns
 * OL2TP_PENDING, and answers later from any thread with `decide` or
 * `decide_ipv4` (see reply_defer in the host table below).
 *
 * Return values and errors: host calls return 0 or a negative errno. Every
 * hook and host call is documented where it is declared below, so this header
 * can be read alone; plugin-sdk/README.md has the same with examples.
 */
#ifndef OPENL2TP_PLUGIN_H
#define OPENL2TP_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Versions */

/* Only a test that proves the daemon refuses a foreign major may override this. */
#ifndef OL2TP_PLUGIN_ABI_MAJOR
#define OL2TP_PLUGIN_ABI_MAJOR 1
#endif
#define OL2TP_PLUGIN_ABI_MINOR 2

/* "OL2P": the first field of every descriptor, rejects random symbols. */
#define OL2TP_PLUGIN_MAGIC 0x4f4c3250u

/*
 * The one symbol the daemon looks up with dlsym(). Its "v1" names the shape of
 * this entry function and of ol2tp_plugin_descriptor_t's first fields, which
 * never change; everything else is versioned by the ABI major/minor.
 */
#define OL2TP_PLUGIN_ENTRY_SYMBOL "openl2tp_plugin_entry_v1"

/* Convenience for (pointer, length) pairs built from string literals. */
#define OL2TP_STR(literal) (literal), ((uint32_t)(sizeof(literal) - 1))

/* MARK: - Opaque handles */

/* The plugin instance, as the daemon knows it. Pass it back to host calls. */
typedef struct ol2tp_plugin ol2tp_plugin_t;
/* A snapshot of a tunnel / session / UDP socket, valid during one hook call. */
typedef struct ol2tp_tunnel ol2tp_tunnel_t;
typedef struct ol2tp_session ol2tp_session_t;
typedef struct ol2tp_socket ol2tp_socket_t;
/* Where a deciding or claiming hook writes its answer (reason, addresses). */
typedef struct ol2tp_reply ol2tp_reply_t;

/* MARK: - Return conventions */

/* Deciding hooks (tunnel_created, tunnel_authorize, session_authorize).
 * Any other value, negative errno included, is a refusal. */
#define OL2TP_ACCEPT 0 /* no objection: the next plugin is asked */
#define OL2TP_REFUSE 1 /* refuse; the first refusal wins, later plugins are not asked */

/* Claiming hooks (ip_allocate, ppp_spawn). Negative errno: claimed but failed. */
#define OL2TP_DECLINE 0 /* not mine: the next plugin is asked */
#define OL2TP_CLAIMED 1 /* done by this plugin; later plugins are not asked */

/*
 * ABI 1.2: tunnel_authorize, session_authorize and ip_allocate may return
 * OL2TP_PENDING after reply_defer gave them a request id: the answer comes
 * later through decide / decide_ipv4. Fail closed: a daemon older than 1.2
 * treats any return other than OL2TP_ACCEPT as a refusal and any ip_allocate
 * return other than OL2TP_DECLINE / OL2TP_CLAIMED as a failed allocation, so
 * 2 is refused (authorize) or fails the session (ip_allocate) there. A 1.2
 * daemon does the same when the hook returns OL2TP_PENDING without having
 * called reply_defer (an ABI 1.1 plugin's "2" keeps its 1.1 meaning).
 */
#define OL2TP_PENDING 2

/* Host calls return 0 or a negative errno: -ENOENT unknown field, -ENODATA
 * field known but not set, -EINVAL wrong handle kind or argument, -ESTALE a
 * handle used after its hook returned, -EPERM call not allowed now. */

/* Log levels (syslog numbering). */
#define OL2TP_LOG_ERROR 3
#define OL2TP_LOG_WARNING 4
#define OL2TP_LOG_NOTICE 5
#define OL2TP_LOG_INFO 6
#define OL2TP_LOG_DEBUG 7

/* MARK: - Field identifiers for the accessors */

/* Tunnel, read with tunnel_get_u32. */
#define OL2TP_TUNNEL_ID 1              /* our tunnel id */
#define OL2TP_TUNNEL_PEER_ID 2         /* the peer's tunnel id, 0 until known */
#define OL2TP_TUNNEL_LOCAL_PORT 3      /* UDP */
#define OL2TP_TUNNEL_PEER_PORT 4       /* UDP */
#define OL2TP_TUNNEL_CREATED_BY_PEER 5 /* 1 = incoming (peer sent SCCRQ), 0 = local */
/* Tunnel, read with tunnel_get_str. */
#define OL2TP_TUNNEL_LOCAL_ADDRESS 16  /* numeric, e.g. "192.0.2.1" */
#define OL2TP_TUNNEL_PEER_ADDRESS 17
#define OL2TP_TUNNEL_PEER_HOST_NAME 18 /* Host Name AVP, RFC 2661 4.4.3 */
#define OL2TP_TUNNEL_NAME 19           /* the configured tunnel_name */

/* Session, read with session_get_u32. */
#define OL2TP_SESSION_TUNNEL_ID 1
#define OL2TP_SESSION_ID 2
#define OL2TP_SESSION_PEER_ID 3          /* 0 until known */
#define OL2TP_SESSION_CALL_TYPE 4        /* OL2TP_CALL_* */
#define OL2TP_SESSION_CALL_SERIAL 5      /* RFC 2661 4.4.5 Call Serial Number */
#define OL2TP_SESSION_PROXY_AUTH_TYPE 6  /* RFC 2661 4.4.5: 1 text, 2 CHAP, 3 PAP, 4 none, 5 MSCHAPv1 */
#define OL2TP_SESSION_PROXY_AUTH_ID 7
#define OL2TP_SESSION_PPP_UNIT 8         /* pppN, once PPP is up */
/* ABI 1.2: the session's tunnel, so plugins need no tunnel table of their own. */
#define OL2TP_SESSION_TUNNEL_LOCAL_PORT 9 /* UDP */
#define OL2TP_SESSION_TUNNEL_PEER_PORT 10 /* UDP */
#define OL2TP_SESSION_TUNNEL_PEER_ID 11   /* the peer's tunnel id */
/* Session, read with session_get_str (challenge/response are binary: use the length). */
#define OL2TP_SESSION_CALLING_NUMBER 16
#define OL2TP_SESSION_CALLED_NUMBER 17
#define OL2TP_SESSION_SUB_ADDRESS 18
#define OL2TP_SESSION_USER_NAME 19
#define OL2TP_SESSION_PROXY_AUTH_NAME 20
#define OL2TP_SESSION_PROXY_AUTH_CHALLENGE 21
#define OL2TP_SESSION_PROXY_AUTH_RESPONSE 22
#define OL2TP_SESSION_INTERFACE_NAME 23  /* e.g. "ppp0", once PPP is up */
/* ABI 1.2: the session's tunnel (numeric addresses, as OL2TP_TUNNEL_*_ADDRESS). */
#define OL2TP_SESSION_TUNNEL_LOCAL_ADDRESS 24
#define OL2TP_SESSION_TUNNEL_PEER_ADDRESS 25
#define OL2TP_SESSION_TUNNEL_PEER_HOST_NAME 26 /* Host Name AVP, RFC 2661 4.4.3 */
#define OL2TP_SESSION_TUNNEL_NAME 27           /* the tunnel's configured tunnel_name */

/* Values of OL2TP_SESSION_CALL_TYPE. */
#define OL2TP_CALL_LAC_INCOMING 1
#define OL2TP_CALL_LAC_OUTGOING 2
#define OL2TP_CALL_LNS_INCOMING 3
#define OL2TP_CALL_LNS_OUTGOING 4

/* Tunnel UDP socket, read with socket_get_u32 / socket_get_str. */
#define OL2TP_SOCKET_TUNNEL_ID 1
#define OL2TP_SOCKET_LOCAL_PORT 2
#define OL2TP_SOCKET_PEER_PORT 3
#define OL2TP_SOCKET_LOCAL_ADDRESS 16
#define OL2TP_SOCKET_PEER_ADDRESS 17

/* MARK: - Hook table (plugin -> host, append-only) */

/*
 * Every pointer may be NULL (not interested). `user_data` is what the plugin
 * gave to register_hooks. Per tunnel and per session the host guarantees the
 * order created, up, down, deleted, each at most once (up/down may be
 * skipped; deleted always follows created).
 *
 * Common rules, unless a hook says otherwise:
 *  - Thread: the daemon's event loop thread, synchronously; do not block.
 *  - Handles (`tunnel`, `session`, `socket`, `reply`) are valid only until the
 *    hook returns; strings read through them too (copy what you keep).
 *  - Only plugins that saw `tunnel_created` see the rest of that tunnel's life
 *    and its sessions; hooks are called in load order.
 *  - Void hooks cannot refuse anything.
 */
typedef struct ol2tp_hooks {
    uint32_t size; /* sizeof(ol2tp_hooks_t) as the plugin was compiled */
    uint32_t reserved;

    /* ABI 1.0 */

    /* A tunnel context exists: an incoming SCCRQ (OL2TP_TUNNEL_CREATED_BY_PEER
     * = 1, before the SCCRP) or a local `tunnel create`. May refuse
     * (OL2TP_REFUSE, or a negative errno = plugin failure, also a refusal):
     * the first refusal wins, later plugins never see the tunnel; the daemon
     * sends StopCCN. Reply: reply_set_reason. Cannot pend (reply_defer
     * returns -EPERM). */
    int32_t (*tunnel_created)(void *user_data, const ol2tp_tunnel_t *tunnel, ol2tp_reply_t *reply);
    /* The control connection is established (SCCCN sent or received). */
    void (*tunnel_up)(void *user_data, const ol2tp_tunnel_t *tunnel);
    /* The control connection is going away (StopCCN either way, peer
     * unreachable); only after tunnel_up. Its sessions were finished first. */
    void (*tunnel_down)(void *user_data, const ol2tp_tunnel_t *tunnel);
    /* The tunnel context is freed; always follows tunnel_created, also for a
     * refused tunnel or one whose authorization is still pending (the
     * pending request is cancelled: a later decide returns -ECANCELED). */
    void (*tunnel_deleted)(void *user_data, const ol2tp_tunnel_t *tunnel);
    /* A session context exists in a live tunnel: ICRQ/OCRQ received or a
     * local `session create`. Cannot refuse (use session_authorize). */
    void (*session_created)(void *user_data, const ol2tp_session_t *session);
    /* The call is established (ICCN/OCCN). */
    void (*session_up)(void *user_data, const ol2tp_session_t *session);
    /* CDN either way or tunnel teardown; only after session_up; ppp_down
     * first if PPP was up. */
    void (*session_down)(void *user_data, const ol2tp_session_t *session);
    /* The session context is freed; always follows session_created. A
     * pending session_authorize or ip_allocate of it is cancelled. */
    void (*session_deleted)(void *user_data, const ol2tp_session_t *session);
    /* After tunnel_created, before tunnel_up: the peer's address and Host Name
     * (RFC 2661 4.4.3) are known. Return OL2TP_ACCEPT (the next plugin is
     * asked), OL2TP_REFUSE (StopCCN; the first refusal wins), a negative errno
     * (plugin failure: refusal), or (ABI 1.2) OL2TP_PENDING after reply_defer:
     * the next plugin is asked only once you decide(OL2TP_ACCEPT). Reply:
     * reply_set_reason, reply_defer. */
    int32_t (*tunnel_authorize)(void *user_data, const ol2tp_tunnel_t *tunnel, ol2tp_reply_t *reply);
    /* After session_created, before the ICRP/OCRP: Calling/Called Number,
     * Sub-Address, serial, and (ABI 1.2) the tunnel's fields
     * (OL2TP_SESSION_TUNNEL_*). Proxy authentication AVPs arrive with the
     * ICCN, so read them from session_up on. Returns as tunnel_authorize
     * (refusal: CDN); may pend the same way. Reply: reply_set_reason,
     * reply_defer. */
    int32_t (*session_authorize)(void *user_data, const ol2tp_session_t *session, ol2tp_reply_t *reply);
    /* Before PPP starts (after session_up): the PPP link's addresses. Return
     * OL2TP_DECLINE (not mine: the next plugin is asked), OL2TP_CLAIMED after
     * reply_set_ipv4 (the first claim wins), a negative errno (mine but
     * failed: the daemon closes the session), or (ABI 1.2) OL2TP_PENDING
     * after reply_defer, answered with decide_ipv4. Reply: reply_set_ipv4,
     * reply_set_reason, reply_defer. */
    int32_t (*ip_allocate)(void *user_data, const ol2tp_session_t *session, ol2tp_reply_t *reply);
    /* Only to the plugin whose allocation was used (or whose accepted late
     * answer could not be used because the session went away), before
     * session_deleted: give the addresses back. */
    void (*ip_release)(void *user_data, const ol2tp_session_t *session);
    /* The kernel PPPoL2TP socket is ready: start PPP on it. The daemon owns
     * `pppol2tp_fd` and closes it after the session: dup() it (or let a
     * child inherit it) if you keep it; -1 when the daemon runs without the
     * kernel datapath (do not hand -1 to pppd). Return OL2TP_DECLINE,
     * OL2TP_CLAIMED (the first claim wins) or a negative errno (the session
     * is closed). At most once per session. Cannot pend. */
    int32_t (*ppp_spawn)(void *user_data, const ol2tp_session_t *session, int32_t pppol2tp_fd);
    /* pppd reported PPP up: OL2TP_SESSION_INTERFACE_NAME and _PPP_UNIT are
     * set. At most once, after session_up. */
    void (*ppp_up)(void *user_data, const ol2tp_session_t *session);
    /* pppd reported PPP down or exited; only after ppp_up, before session_down. */
    void (*ppp_down)(void *user_data, const ol2tp_session_t *session);
    /* The tunnel's UDP socket is connected: local and peer address/port (for
     * IPsec policies). Delivered to every plugin; may come before
     * tunnel_created; again (after socket_disconnected) on a peer move. */
    void (*socket_connected)(void *user_data, const ol2tp_socket_t *socket);
    /* The pair given to socket_connected is no longer used (same addresses),
     * before tunnel_deleted. */
    void (*socket_disconnected)(void *user_data, const ol2tp_socket_t *socket);
    /* New hooks are appended here, never inserted. */
} ol2tp_hooks_t;

/* MARK: - Host API (host -> plugin, append-only) */

typedef struct ol2tp_host_api {
    uint32_t size; /* sizeof(ol2tp_host_api_t) as the daemon was compiled */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *daemon_version; /* openl2tpd's version, e.g. "0.1.0", NUL-terminated too */
    uint32_t daemon_version_len;
    uint32_t reserved;

    /* ABI 1.0 */
    /* One line in the daemon's log (syslog), prefixed with the plugin's name.
     * Any thread, any time after init. */
    void (*log)(ol2tp_plugin_t *plugin, int32_t level, const char *message, uint32_t message_len);

    /*
     * Only during init (-EPERM later). Copies min(hooks->size, sizeof) of the table; may be
     * called more than once (each registration is called in registration
     * order). `destroy(user_data)` runs at unload, registrations in reverse.
     */
    int32_t (*register_hooks)(ol2tp_plugin_t *plugin, const ol2tp_hooks_t *hooks,
                              void *user_data, void (*destroy)(void *user_data));

    /* Accessors: valid only on the hook's thread, until the hook returns.
     * Strings are NUL-terminated as well as counted. Return 0, -ENOENT (field
     * id unknown to this daemon), -ENODATA (no value yet), -EINVAL (string
     * field read as a number or the other way, wrong handle kind), -ESTALE
     * (handle used after its hook returned). */
    int32_t (*tunnel_get_u32)(const ol2tp_tunnel_t *tunnel, uint32_t field, uint32_t *value);
    int32_t (*tunnel_get_str)(const ol2tp_tunnel_t *tunnel, uint32_t field,
                              const char **value, uint32_t *value_len);
    int32_t (*session_get_u32)(const ol2tp_session_t *session, uint32_t field, uint32_t *value);
    int32_t (*session_get_str)(const ol2tp_session_t *session, uint32_t field,
                               const char **value, uint32_t *value_len);
    int32_t (*socket_get_u32)(const ol2tp_socket_t *socket, uint32_t field, uint32_t *value);
    int32_t (*socket_get_str)(const ol2tp_socket_t *socket, uint32_t field,
                              const char **value, uint32_t *value_len);

    /* Answers, only inside the hook that received `reply` (-ESTALE later).
     * `result_code` and `error_code` are RFC 2661 4.4.2 codes for the
     * StopCCN/CDN (0: default); `message` is logged. */
    int32_t (*reply_set_reason)(ol2tp_reply_t *reply, uint16_t result_code, uint16_t error_code,
                                const char *message, uint32_t message_len);
    /* ip_allocate only (-EPERM elsewhere); -EINVAL for a zero address.
     * IPv4 addresses in host byte order: a.b.c.d is (a<<24)|(b<<16)|(c<<8)|d. */
    int32_t (*reply_set_ipv4)(ol2tp_reply_t *reply, uint32_t local_address, uint32_t peer_address);

    /* Actions: any time after init, from any thread; delivered to the daemon's
     * event loop, which carries them out later (never inside the call).
     * -EINVAL for id 0 or an id above 65535, -ESTALE for an unknown plugin. */
    int32_t (*tunnel_close)(ol2tp_plugin_t *plugin, uint32_t tunnel_id,
                            const char *reason, uint32_t reason_len);
    int32_t (*session_close)(ol2tp_plugin_t *plugin, uint32_t tunnel_id, uint32_t session_id,
                             const char *reason, uint32_t reason_len);

    /* ABI 1.1 */
    /*
     * The session's effective configuration value for an l2tpconfig parameter
     * name, as text: PPP profile parameters (`mtu`, `auth_pap`, `local_ipaddr`,
     * `ip_pool_name`, ...), session parameters (`use_sequence_numbers`,
     * `reorder_timeout`, `user_name`, `interface_name`, ...), the tunnel's MTU
     * as `tunnel_mtu` and system settings such as `session_establish_timeout`.
     * Booleans are "yes"/"no", numbers decimal, IPv4 addresses dotted quads.
     * After an ip_allocate hook claimed the session, `local_ipaddr` and
     * `remote_ipaddr` are the allocated addresses. Same lifetime rules as the
     * other accessors; -ENOENT when the daemon has no such parameter for the
     * session. Check with OL2TP_HOST_HAS(host, session_get_param).
     */
    int32_t (*session_get_param)(const ol2tp_session_t *session, const char *name, uint32_t name_len,
                                 const char **value, uint32_t *value_len);

    /* ABI 1.2: deferred decisions. Check with OL2TP_HOST_HAS(host, reply_defer).
     *
     * Inside tunnel_authorize, session_authorize or ip_allocate: reply_defer
     * marks the answer as deferred and stores a request id in `*request`; the
     * hook then returns OL2TP_PENDING and keeps the id (not the handles, which
     * die with the hook). Calling it twice in one hook gives the same id.
     * Returns 0; -EPERM when this hook cannot pend now (tunnel_created,
     * ppp_spawn, or a daemon that asked synchronously: decide on the spot);
     * -ESTALE after the hook returned; -EINVAL for a NULL `request`. If the
     * hook then returns anything but OL2TP_PENDING, the id is void. */
    int32_t (*reply_defer)(ol2tp_reply_t *reply, uint64_t *request);

    /*
     * The answer to a deferred tunnel_authorize / session_authorize, from any
     * thread (also from inside the hook, before it returns). `verdict` is
     * OL2TP_ACCEPT (the next plugin is then asked) or OL2TP_REFUSE (StopCCN /
     * CDN with `result_code` / `error_code`, RFC 2661 4.4.2, 0: the daemon
     * chooses; `reason` is logged). The host queues the answer and acts on it
     * on its event loop, never inside this call. Each request id is answered
     * once. Returns 0 when the answer is taken, else (and the host logs why):
     *   -ENOENT     no such request (never issued, or long forgotten)
     *   -EALREADY   already answered (a duplicate)
     *   -ETIMEDOUT  too late: the daemon's deadline passed and it refused
     *               (authorize) or failed (ip_allocate) the request
     *   -ECANCELED  the tunnel or session went away meanwhile
     *   -EPERM      the request belongs to another plugin
     *   -EINVAL     bad verdict, or decide for an ip_allocate request
     *   -ESTALE     unknown `plugin` handle
     * The deadline is the daemon's setting (10 s by default for authorize and
     * for ip_allocate), counted from the daemon's question; you are told
     * nothing when it passes, except that a later answer is refused.
     */
    int32_t (*decide)(ol2tp_plugin_t *plugin, uint64_t request, int32_t verdict, uint16_t result_code,
                      uint16_t error_code, const char *reason, uint32_t reason_len);

    /*
     * The answer to a deferred ip_allocate, from any thread: `status` is
     * OL2TP_CLAIMED with both addresses (host byte order, non-zero),
     * OL2TP_DECLINE (not mine after all: the next plugin is asked), or a
     * negative errno (failed: the daemon closes the session; `reason` is
     * logged). Returns as decide (-EINVAL also for CLAIMED with a zero
     * address, or decide_ipv4 for an authorize request). When it returns
     * anything but 0 after CLAIMED, the addresses were not taken: give them
     * back. When it returned 0, ip_release follows for this session.
     */
    int32_t (*decide_ipv4)(ol2tp_plugin_t *plugin, uint64_t request, int32_t status, uint32_t local_address,
                           uint32_t peer_address, const char *reason, uint32_t reason_len);
    /* New calls are appended here; test with OL2TP_HOST_HAS(host, member). */
} ol2tp_host_api_t;

/* True when the daemon's host table is long enough to contain `member`. */
#define OL2TP_HOST_HAS(host, member)                                                   \
    ((host)->size >= (uint32_t)(__builtin_offsetof(ol2tp_host_api_t, member) +          \
                                sizeof(((ol2tp_host_api_t *)0)->member)) &&             \
     (host)->member != 0)

/* MARK: - Entry point (plugin -> host) */

typedef struct ol2tp_plugin_descriptor {
    uint32_t magic;     /* OL2TP_PLUGIN_MAGIC */
    uint32_t size;      /* sizeof(ol2tp_plugin_descriptor_t) */
    uint16_t abi_major; /* OL2TP_PLUGIN_ABI_MAJOR */
    uint16_t abi_minor; /* OL2TP_PLUGIN_ABI_MINOR */
    uint32_t name_len;
    const char *name;   /* short, e.g. "ipsec" */
    uint32_t version_len;
    uint32_t reserved;
    const char *version;
    /*
     * Called once after the versions were checked, on the daemon's thread.
     * `args` is the text after ':' in `-p name:args` ("" if none). Register
     * hooks here. Return 0, or a negative errno to refuse loading (log why).
     */
    int32_t (*init)(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin,
                    const char *args, uint32_t args_len);
} ol2tp_plugin_descriptor_t;

typedef const ol2tp_plugin_descriptor_t *(*ol2tp_plugin_entry_fn)(void);

#if !defined(__swift__)
/* Every plugin defines this, with default visibility. */
const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void);

/*
 * The descriptor and the exported entry symbol in one line, for C plugins:
 *
 *     OL2TP_PLUGIN_DEFINE("my_plugin", "1.0", my_plugin_init)
 *
 * NAME and VERSION must be string literals (their lengths are taken with
 * sizeof). Spelled out, it is what examples/hook_logger.c writes by hand.
 */
#define OL2TP_PLUGIN_DEFINE(NAME, VERSION, INIT)                                      \
    static const ol2tp_plugin_descriptor_t ol2tp_plugin_descriptor_ = {               \
        .magic = OL2TP_PLUGIN_MAGIC,                                                  \
        .size = sizeof(ol2tp_plugin_descriptor_t),                                    \
        .abi_major = OL2TP_PLUGIN_ABI_MAJOR,                                          \
        .abi_minor = OL2TP_PLUGIN_ABI_MINOR,                                          \
        .name_len = sizeof(NAME) - 1,                                                 \
        .name = NAME,                                                                 \
        .version_len = sizeof(VERSION) - 1,                                           \
        .version = VERSION,                                                           \
        .init = INIT,                                                                 \
    };                                                                                \
    __attribute__((visibility("default"))) const ol2tp_plugin_descriptor_t *          \
    openl2tp_plugin_entry_v1(void) { return &ol2tp_plugin_descriptor_; }
#endif

#ifdef __cplusplus
}
#endif

#endif /* OPENL2TP_PLUGIN_H */
