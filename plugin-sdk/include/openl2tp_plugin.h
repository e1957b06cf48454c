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
#define OL2TP_PLUGIN_ABI_MINOR 1

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

/* Deciding hooks (tunnel_created, tunnel_authorize, session_authorize). */
#define OL2TP_ACCEPT 0 /* no objection: the next plugin is asked */
#define OL2TP_REFUSE 1 /* refuse; the first refusal wins, later plugins are not asked */

/* Claiming hooks (ip_allocate, ppp_spawn). Negative errno: claimed but failed. */
#define OL2TP_DECLINE 0 /* not mine: the next plugin is asked */
#define OL2TP_CLAIMED 1 /* done by this plugin; later plugins are not asked */

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
/* Session, read with session_get_str (challenge/response are binary: use the length). */
#define OL2TP_SESSION_CALLING_NUMBER 16
#define OL2TP_SESSION_CALLED_NUMBER 17
#define OL2TP_SESSION_SUB_ADDRESS 18
#define OL2TP_SESSION_USER_NAME 19
#define OL2TP_SESSION_PROXY_AUTH_NAME 20
#define OL2TP_SESSION_PROXY_AUTH_CHALLENGE 21
#define OL2TP_SESSION_PROXY_AUTH_RESPONSE 22
#define OL2TP_SESSION_INTERFACE_NAME 23  /* e.g. "ppp0", once PPP is up */

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
 * Every pointer may be NULL. `user_data` is what the plugin gave to
 * register_hooks. Per tunnel and per session the host guarantees the order
 * created, up, down, deleted, each at most once (up/down may be skipped);
 * see plugin-sdk/README.md for every hook.
 */
typedef struct ol2tp_hooks {
    uint32_t size; /* sizeof(ol2tp_hooks_t) as the plugin was compiled */
    uint32_t reserved;

    /* ABI 1.0 */
    int32_t (*tunnel_created)(void *user_data, const ol2tp_tunnel_t *tunnel, ol2tp_reply_t *reply);
    void (*tunnel_up)(void *user_data, const ol2tp_tunnel_t *tunnel);
    void (*tunnel_down)(void *user_data, const ol2tp_tunnel_t *tunnel);
    void (*tunnel_deleted)(void *user_data, const ol2tp_tunnel_t *tunnel);
    void (*session_created)(void *user_data, const ol2tp_session_t *session);
    void (*session_up)(void *user_data, const ol2tp_session_t *session);
    void (*session_down)(void *user_data, const ol2tp_session_t *session);
    void (*session_deleted)(void *user_data, const ol2tp_session_t *session);
    int32_t (*tunnel_authorize)(void *user_data, const ol2tp_tunnel_t *tunnel, ol2tp_reply_t *reply);
    int32_t (*session_authorize)(void *user_data, const ol2tp_session_t *session, ol2tp_reply_t *reply);
    int32_t (*ip_allocate)(void *user_data, const ol2tp_session_t *session, ol2tp_reply_t *reply);
    void (*ip_release)(void *user_data, const ol2tp_session_t *session);
    int32_t (*ppp_spawn)(void *user_data, const ol2tp_session_t *session, int32_t pppol2tp_fd);
    void (*ppp_up)(void *user_data, const ol2tp_session_t *session);
    void (*ppp_down)(void *user_data, const ol2tp_session_t *session);
    void (*socket_connected)(void *user_data, const ol2tp_socket_t *socket);
    void (*socket_disconnected)(void *user_data, const ol2tp_socket_t *socket);
    /* New hooks are appended here, never inserted. */
} ol2tp_hooks_t;

/* MARK: - Host API (host -> plugin, append-only) */

typedef struct ol2tp_host_api {
    uint32_t size; /* sizeof(ol2tp_host_api_t) as the daemon was compiled */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *daemon_version; /* e.g. "0.1.0", NUL-terminated too */
    uint32_t daemon_version_len;
    uint32_t reserved;

    /* ABI 1.0 */
    void (*log)(ol2tp_plugin_t *plugin, int32_t level, const char *message, uint32_t message_len);

    /*
     * Only during init. Copies min(hooks->size, sizeof) of the table; may be
     * called more than once (each registration is called in registration
     * order). `destroy(user_data)` runs at unload, registrations in reverse.
     */
    int32_t (*register_hooks)(ol2tp_plugin_t *plugin, const ol2tp_hooks_t *hooks,
                              void *user_data, void (*destroy)(void *user_data));

    /* Accessors: valid only on the hook's thread, until the hook returns.
     * Strings are NUL-terminated as well as counted. */
    int32_t (*tunnel_get_u32)(const ol2tp_tunnel_t *tunnel, uint32_t field, uint32_t *value);
    int32_t (*tunnel_get_str)(const ol2tp_tunnel_t *tunnel, uint32_t field,
                              const char **value, uint32_t *value_len);
    int32_t (*session_get_u32)(const ol2tp_session_t *session, uint32_t field, uint32_t *value);
    int32_t (*session_get_str)(const ol2tp_session_t *session, uint32_t field,
                               const char **value, uint32_t *value_len);
    int32_t (*socket_get_u32)(const ol2tp_socket_t *socket, uint32_t field, uint32_t *value);
    int32_t (*socket_get_str)(const ol2tp_socket_t *socket, uint32_t field,
                              const char **value, uint32_t *value_len);

    /* Answers, only inside the hook that received `reply`. `result_code` and
     * `error_code` are RFC 2661 4.4.2 codes for the StopCCN/CDN (0: default). */
    int32_t (*reply_set_reason)(ol2tp_reply_t *reply, uint16_t result_code, uint16_t error_code,
                                const char *message, uint32_t message_len);
    /* IPv4 addresses in host byte order: a.b.c.d is (a<<24)|(b<<16)|(c<<8)|d. */
    int32_t (*reply_set_ipv4)(ol2tp_reply_t *reply, uint32_t local_address, uint32_t peer_address);

    /* Actions: any time after init, from any thread; delivered to the daemon's
     * event loop, which carries them out later (never inside the call). */
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
