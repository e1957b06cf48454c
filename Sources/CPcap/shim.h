#ifndef OPENL2TP_CPCAP_SHIM_H
#define OPENL2TP_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
