/*
 * Independent client for the interop test: libtirpc plus the stubs rpcgen
 * generates from docs/l2tp_rpc.x. It shares no code with the Swift side, so
 * it checks both the .x file and our XDR/RPC encoding.
 * Usage: l2tp_rpc_oracle PORT|/socket/path create|sessions
 */
#include <arpa/inet.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>
#include "l2tp_rpc.h"

static void print_value(const l2tp_value *v) {
    switch (v->type) {
    case L2TP_VALUE_NONE: printf("none"); break;
    case L2TP_VALUE_STRING: printf("\"%s\"", v->l2tp_value_u.s); break;
    case L2TP_VALUE_INT: printf("%lld", (long long)v->l2tp_value_u.i); break;
    case L2TP_VALUE_UINT: printf("%llu", (unsigned long long)v->l2tp_value_u.u); break;
    case L2TP_VALUE_BOOL: printf("%s", v->l2tp_value_u.b ? "yes" : "no"); break;
    case L2TP_VALUE_IPV4: {
        unsigned a = v->l2tp_value_u.ipv4;
        printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
        break;
    }
    }
}

static void print_record(unsigned index, const l2tp_record *r) {
    printf("record %u kind=%s", index, r->kind);
    for (unsigned f = 0; f < r->fields.fields_len; f++) {
        printf(" %s=", r->fields.fields_val[f].name);
        print_value(&r->fields.fields_val[f].value);
    }
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc != 3) return 64;
    int sock = RPC_ANYSOCK;
    CLIENT *clnt;
    if (argv[1][0] == '/') {
        struct sockaddr_un addr;
        memset(&addr, 0, sizeof addr);
        addr.sun_family = AF_UNIX;
        strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
        clnt = clntunix_create(&addr, L2TP_PROG, L2TP_VERSION, &sock, 0, 0);
    } else {
        struct sockaddr_in addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_port = htons((unsigned short)atoi(argv[1]));
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        clnt = clnttcp_create(&addr, L2TP_PROG, L2TP_VERSION, &sock, 0, 0);
    }
    if (clnt == NULL) {
        clnt_pcreateerror("create");
        return 2;
    }
    struct timeval timeout = {30, 0};
    clnt_control(clnt, CLSET_TIMEOUT, (char *)&timeout);

    l2tp_param params[2];
    l2tp_request request;
    l2tp_reply *reply;
    if (strcmp(argv[2], "create") == 0) {
        params[0].name = "dest_ipaddr";
        params[0].value = "192.0.2.1";
        params[1].name = "tunnel_name";
        params[1].value = "from-c";
        request.params.params_len = 2;
        request.params.params_val = params;
        reply = l2tp_tunnel_create_1(&request, clnt);
    } else {
        request.params.params_len = 0;
        request.params.params_val = NULL;
        reply = l2tp_session_list_1(&request, clnt);
    }
    if (reply == NULL) {
        clnt_perror(clnt, "call");
        return 3;
    }
    printf("status=%d message=\"%s\" records=%u\n", reply->status, reply->message, reply->records.records_len);
    unsigned count = reply->records.records_len;
    for (unsigned i = 0; i < count; i++) {
        if (i < 2 || i + 1 == count) print_record(i, &reply->records.records_val[i]);
    }
    clnt_destroy(clnt);
    return 0;
}
