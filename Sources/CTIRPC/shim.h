// libtirpc, only for rpcbind registration (rpcb_set/rpcb_unset). The RPC wire
// protocol itself is implemented in Swift (ONCRPC target); headers live in
// /usr/include/tirpc, found through pkg-config libtirpc.
#ifndef CTIRPC_SHIM_H
#define CTIRPC_SHIM_H
#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>
#include <rpc/pmap_clnt.h>
#include <netconfig.h>
#endif
