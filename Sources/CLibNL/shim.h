// libnl-3 generic netlink headers (Debian: libnl-3-dev, libnl-genl-3-dev), used by
// the CL2TPKernel shim. pkg-config adds -I/usr/include/libnl3.
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
