/* Exports the entry symbol but returns a descriptor with a wrong magic. */
#include "openl2tp_plugin.h"

static const ol2tp_plugin_descriptor_t descriptor = {
    .magic = 0x12345678u,
    .size = sizeof(ol2tp_plugin_descriptor_t),
    .abi_major = OL2TP_PLUGIN_ABI_MAJOR,
};

const ol2tp_plugin_descriptor_t *openl2tp_plugin_entry_v1(void) { return &descriptor; }
