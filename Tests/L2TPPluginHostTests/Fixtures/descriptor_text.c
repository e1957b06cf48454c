/*
 * A plugin that loads cleanly unless the test says otherwise: -DNAME=...,
 * -DNAME_LEN=..., -DVERSION=..., -DVERSION_LEN=... set the descriptor's
 * name and version and the lengths it declares for them, so a test can
 * declare a length the text does not have (name_len = 0x7fffffff), or give
 * bytes that are no name (a NUL inside, invalid UTF-8).
 */
#include "openl2tp_plugin.h"

#ifndef NAME
#define NAME "descriptor_text"
#endif
#ifndef NAME_LEN
#define NAME_LEN (sizeof(NAME) - 1)
#endif
#ifndef VERSION
#define VERSION "1.0"
#endif
#ifndef VERSION_LEN
#define VERSION_LEN (sizeof(VERSION) - 1)
#endif

static int32_t descriptor_text_init(const ol2tp_host_api_t *host, ol2tp_plugin_t *plugin, const char *args,
                                    uint32_t args_len) {
    (void)host;
    (void)plugin;
    (void)args;
    (void)args_len;
    return 0;
}

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = OL2TP_PLUGIN_MAGIC,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
    .abi_minor = OL2TP_PLUGIN_ABI_MINOR,
    .name_len = NAME_LEN,
    .name = NAME,
    .version_len = VERSION_LEN,
    .version = VERSION,
    .init = descriptor_text_init,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
