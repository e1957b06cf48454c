import CL2TPKernel
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The Linux kernel datapath: tunnels and sessions over the generic netlink family
/// "l2tp", PPP sessions handed to pppd as PPPoL2TP sockets.
///
/// An instance works in the network namespace the creating thread was in. Requests
/// are serialised on one netlink socket; every fd it makes is close-on-exec.
public final class KernelDataPlane: DataPlane {
    private struct SessionKey: Hashable {
        var tunnel: UInt16
        var session: UInt16
    }

    private struct State {
        var netlink: OpaquePointer?
        /// The namespace we were made in: PPPoL2TP sockets must be created there.
        var netns: Int32 = -1
        var tunnels: Set<UInt16> = []
        /// Our PPPoL2TP sockets and how their sessions were made.
        var sessions: [SessionKey: SessionHandle] = [:]
    }

    private let state: Mutex<State>

    /// How PPP sessions are made in the kernel.
    public enum SessionCreation: Hashable, Sendable {
        /// SESSION_CREATE, falling back to the PPPoL2TP connect when the kernel
        /// answers EPROTONOSUPPORT (built without CONFIG_L2TP_V3).
        case automatic
        /// Always let the PPPoL2TP connect create the session (the older path).
        case pppol2tpConnect
    }

    private let sessionCreation: SessionCreation

    // PPPoL2TP socket options (SOL_PPPOL2TP, <linux/if_pppol2tp.h>).
    private enum SocketOption: Int32 {
        case debug = 1, receiveSequence = 2, sendSequence = 3, lnsMode = 4, reorderTimeout = 5
    }

    /// Opens the netlink socket and resolves the "l2tp" family.
    public init(sessionCreation: SessionCreation = .automatic) throws(DataPlaneError) {
        self.sessionCreation = sessionCreation
        var handle: OpaquePointer?
        let rc = cl2tp_nl_open(&handle)
        if rc < 0 {
            if rc == -ENOENT { throw .unavailable(DataPlaneAvailability.noFamilyReason) }
            throw .kernel("resolve generic netlink family l2tp", errno: -rc)
        }
        state = Mutex(State(netlink: handle, netns: cl2tp_open_current_netns()))
    }

    deinit {
        state.withLock { s in
            for handle in s.sessions.values where handle.pppSocket >= 0 { close(handle.pppSocket) }
            cl2tp_nl_close(s.netlink)
            s.netlink = nil
            if s.netns >= 0 { close(s.netns) }
        }
    }

    // MARK: - Tunnels

    public func tunnelUp(_ binding: TunnelBinding) throws(DataPlaneError) {
        try binding.validate()
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            if s.tunnels.contains(binding.localTunnelID) { throw .duplicateTunnel(binding.localTunnelID) }
            var args = cl2tp_tunnel_create_args(
                tunnel_id: UInt32(binding.localTunnelID), peer_tunnel_id: UInt32(binding.peerTunnelID),
                proto_version: 2, fd: binding.udpSocket,
                udp_csum: binding.udpChecksums.map { $0 ? 1 : 0 } ?? -1,
                debug: binding.debugMask.map { Int64($0) } ?? -1)
            try check(cl2tp_tunnel_create(s.netlink, &args), "TUNNEL_CREATE tunnel \(binding.localTunnelID)")
            s.tunnels.insert(binding.localTunnelID)
        }
    }

    public func tunnelDown(localTunnelID: UInt16) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            // Sessions go with the tunnel in the kernel; close our sockets of them.
            for (key, handle) in s.sessions where key.tunnel == localTunnelID {
                if handle.pppSocket >= 0 { close(handle.pppSocket) }
                s.sessions[key] = nil
            }
            s.tunnels.remove(localTunnelID)
            let rc = cl2tp_tunnel_delete(s.netlink, UInt32(localTunnelID))
            if rc == -ENOENT || rc == -ENODEV { return }  // already gone with its socket
            try check(rc, "TUNNEL_DELETE tunnel \(localTunnelID)")
        }
    }

    public func setTunnelDebug(localTunnelID: UInt16, mask: UInt32) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            try check(
                cl2tp_tunnel_modify_debug(s.netlink, UInt32(localTunnelID), mask),
                "TUNNEL_MODIFY tunnel \(localTunnelID)")
        }
    }

    public func tunnelStatistics(localTunnelID: UInt16) throws(DataPlaneError) -> DataPathStatistics {
        try tunnel(id: UInt32(localTunnelID)).statistics
    }

    /// One tunnel as the kernel sees it.
    public func tunnel(id: UInt32) throws(DataPlaneError) -> KernelTunnelInfo {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> KernelTunnelInfo in
            var info = cl2tp_tunnel_info()
            try check(cl2tp_tunnel_get(s.netlink, id, &info), "TUNNEL_GET tunnel \(id)")
            return KernelTunnelInfo(info)
        }
    }

    /// Every tunnel in this network namespace, whoever made it.
    public func tunnels() throws(DataPlaneError) -> [KernelTunnelInfo] {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> [KernelTunnelInfo] in
            var capacity = 64
            while true {
                var buffer = [cl2tp_tunnel_info](repeating: cl2tp_tunnel_info(), count: capacity)
                let n = buffer.withUnsafeMutableBufferPointer { cl2tp_tunnel_dump(s.netlink, $0.baseAddress, $0.count) }
                try check(n, "TUNNEL_GET dump")
                if Int(n) <= capacity { return buffer.prefix(Int(n)).map(KernelTunnelInfo.init) }
                capacity = Int(n) + 16
            }
        }
    }

    // MARK: - Sessions

    public func sessionUp(_ p: SessionParameters) throws(DataPlaneError) -> SessionHandle {
        try p.validate()
        return try state.withLock { (s: inout State) throws(DataPlaneError) -> SessionHandle in
            let key = SessionKey(tunnel: p.localTunnelID, session: p.localSessionID)
            if s.sessions[key] != nil { throw .duplicateSession(tunnel: key.tunnel, session: key.session) }
            var args = cl2tp_session_args(
                tunnel_id: UInt32(p.localTunnelID), session_id: UInt32(p.localSessionID),
                peer_session_id: UInt32(p.peerSessionID), pw_type: 7,
                send_seq: p.sendSequenceNumbers ? 1 : 0, recv_seq: p.requireSequenceNumbers ? 1 : 0,
                lns_mode: p.lnsMode ? 1 : 0, recv_timeout_ms: Int64(p.reorderTimeoutMilliseconds),
                debug: Int64(p.debugMask))
            let created =
                sessionCreation == .pppol2tpConnect
                ? -EPROTONOSUPPORT : cl2tp_session_create(s.netlink, &args)
            let origin: SessionHandle.Origin
            switch created {
            case 0: origin = .netlink
            case -EPROTONOSUPPORT: origin = .pppol2tpConnect  // kernel without L2TPv3: connect creates it
            default:
                throw .kernel(
                    "SESSION_CREATE tunnel \(p.localTunnelID) session \(p.localSessionID)",
                    errno: -created)
            }
            let fd = cl2tp_pppol2tp_connect(
                s.netns, -1, p.localTunnelID, p.localSessionID,
                p.peerTunnelID, p.peerSessionID)
            if fd < 0 {
                if origin == .netlink { _ = cl2tp_session_delete(s.netlink, args.tunnel_id, args.session_id) }
                throw .kernel(
                    "PPPoL2TP connect tunnel \(p.localTunnelID) session \(p.localSessionID)",
                    errno: -fd)
            }
            if origin == .pppol2tpConnect {
                let options: [(SocketOption, Int32)] = [
                    (.sendSequence, p.sendSequenceNumbers ? 1 : 0),
                    (.receiveSequence, p.requireSequenceNumbers ? 1 : 0),
                    (.lnsMode, p.lnsMode ? 1 : 0),
                    (.reorderTimeout, Int32(clamping: p.reorderTimeoutMilliseconds)),
                    (.debug, Int32(bitPattern: p.debugMask)),
                ]
                for (option, value) in options {
                    let rc = cl2tp_pppol2tp_setopt(fd, option.rawValue, value)
                    if rc < 0 {
                        close(fd)
                        throw .kernel("setsockopt SOL_PPPOL2TP \(option) session \(p.localSessionID)", errno: -rc)
                    }
                }
            }
            let handle = SessionHandle(
                localTunnelID: p.localTunnelID, peerTunnelID: p.peerTunnelID,
                localSessionID: p.localSessionID, peerSessionID: p.peerSessionID,
                pppSocket: fd, origin: origin)
            s.sessions[key] = handle
            return handle
        }
    }

    public func sessionModify(
        localTunnelID: UInt16, localSessionID: UInt16,
        _ c: SessionChanges
    ) throws(DataPlaneError) {
        if c.isEmpty { return }
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            let key = SessionKey(tunnel: localTunnelID, session: localSessionID)
            if let handle = s.sessions[key], handle.origin == .pppol2tpConnect {
                var options: [(SocketOption, Int32)] = []
                if let v = c.sendSequenceNumbers { options.append((.sendSequence, v ? 1 : 0)) }
                if let v = c.requireSequenceNumbers { options.append((.receiveSequence, v ? 1 : 0)) }
                if let v = c.lnsMode { options.append((.lnsMode, v ? 1 : 0)) }
                if let v = c.reorderTimeoutMilliseconds { options.append((.reorderTimeout, Int32(clamping: v))) }
                if let v = c.debugMask { options.append((.debug, Int32(bitPattern: v))) }
                for (option, value) in options {
                    try check(
                        cl2tp_pppol2tp_setopt(handle.pppSocket, option.rawValue, value),
                        "setsockopt SOL_PPPOL2TP \(option) session \(localSessionID)")
                }
                return
            }
            var args = cl2tp_session_args(
                tunnel_id: UInt32(localTunnelID), session_id: UInt32(localSessionID), peer_session_id: 0,
                pw_type: 7,
                send_seq: c.sendSequenceNumbers.map { $0 ? 1 : 0 } ?? -1,
                recv_seq: c.requireSequenceNumbers.map { $0 ? 1 : 0 } ?? -1,
                lns_mode: c.lnsMode.map { $0 ? 1 : 0 } ?? -1,
                recv_timeout_ms: c.reorderTimeoutMilliseconds.map { Int64($0) } ?? -1,
                debug: c.debugMask.map { Int64($0) } ?? -1)
            try check(
                cl2tp_session_modify(s.netlink, &args),
                "SESSION_MODIFY tunnel \(localTunnelID) session \(localSessionID)")
        }
    }

    public func sessionDown(_ handle: SessionHandle) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            let key = SessionKey(tunnel: handle.localTunnelID, session: handle.localSessionID)
            let owned = s.sessions.removeValue(forKey: key)
            let rc = cl2tp_session_delete(s.netlink, UInt32(key.tunnel), UInt32(key.session))
            if let owned, owned.pppSocket >= 0 { close(owned.pppSocket) }
            if rc == -ENOENT || rc == -ENODEV { return }  // gone already (tunnel deleted, socket closed)
            try check(rc, "SESSION_DELETE tunnel \(key.tunnel) session \(key.session)")
        }
    }

    public func sessionStatistics(
        localTunnelID: UInt16,
        localSessionID: UInt16
    ) throws(DataPlaneError) -> DataPathStatistics {
        try session(tunnelID: UInt32(localTunnelID), sessionID: UInt32(localSessionID)).statistics
    }

    /// One session as the kernel sees it.
    public func session(tunnelID: UInt32, sessionID: UInt32) throws(DataPlaneError) -> KernelSessionInfo {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> KernelSessionInfo in
            var info = cl2tp_session_info()
            try check(
                cl2tp_session_get(s.netlink, tunnelID, sessionID, &info),
                "SESSION_GET tunnel \(tunnelID) session \(sessionID)")
            return KernelSessionInfo(info)
        }
    }

    /// Every session in this network namespace.
    public func sessions() throws(DataPlaneError) -> [KernelSessionInfo] {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> [KernelSessionInfo] in
            var capacity = 256
            while true {
                var buffer = [cl2tp_session_info](repeating: cl2tp_session_info(), count: capacity)
                let n = buffer.withUnsafeMutableBufferPointer {
                    cl2tp_session_dump(s.netlink, $0.baseAddress, $0.count)
                }
                try check(n, "SESSION_GET dump")
                if Int(n) <= capacity { return buffer.prefix(Int(n)).map(KernelSessionInfo.init) }
                capacity = Int(n) + 64
            }
        }
    }

    // MARK: - Cleanup

    public func removeOrphanedTunnels(_ policy: OrphanPolicy) throws(DataPlaneError) -> [UInt32] {
        try policy.validate()
        let mine = state.withLock { s in Set(s.tunnels.map(UInt32.init)) }
        var removed: [UInt32] = []
        for tunnel in try tunnels() where policy.matches(tunnel) && !mine.contains(tunnel.tunnelID) {
            let rc = state.withLock { s in cl2tp_tunnel_delete(s.netlink, tunnel.tunnelID) }
            if rc == -ENOENT || rc == -ENODEV { continue }
            try check(rc, "TUNNEL_DELETE orphan tunnel \(tunnel.tunnelID)")
            removed.append(tunnel.tunnelID)
        }
        return removed
    }
}

private func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(DataPlaneError) {
    if rc < 0 { throw .kernel(operation(), errno: -rc) }
}

// MARK: - C to Swift

extension DataPathStatistics {
    init(_ s: cl2tp_stats) {
        self.init()
        txPackets = s.tx_packets
        txBytes = s.tx_bytes
        txErrors = s.tx_errors
        rxPackets = s.rx_packets
        rxBytes = s.rx_bytes
        rxSequenceDiscards = s.rx_seq_discards
        rxOutOfSequence = s.rx_oos_packets
        rxErrors = s.rx_errors
    }
}

extension KernelTunnelInfo {
    init(_ t: cl2tp_tunnel_info) {
        let length = t.family == UInt8(AF_INET6) ? 16 : 4
        func bytes(
            _ tuple: (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            )
        ) -> [UInt8] {
            Array(withUnsafeBytes(of: tuple) { Array($0) }.prefix(length))
        }
        self.init(
            tunnelID: t.tunnel_id, peerTunnelID: t.peer_tunnel_id, protocolVersion: t.proto_version,
            encapsulation: t.encap_type == 0 ? .udp : t.encap_type == 1 ? .ip : .other(t.encap_type),
            debugMask: t.debug,
            localEndpoint: t.has_udp != 0 ? Endpoint(address: bytes(t.local_addr), port: t.local_port) : nil,
            peerEndpoint: t.has_udp != 0 ? Endpoint(address: bytes(t.peer_addr), port: t.peer_port) : nil,
            statistics: DataPathStatistics(t.stats))
    }
}

extension KernelSessionInfo {
    init(_ s: cl2tp_session_info) {
        let name = withUnsafeBytes(of: s.ifname) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        self.init(
            tunnelID: s.tunnel_id, sessionID: s.session_id, peerTunnelID: s.peer_tunnel_id,
            peerSessionID: s.peer_session_id, pseudowireType: s.pw_type,
            sendSequenceNumbers: s.send_seq != 0, requireSequenceNumbers: s.recv_seq != 0,
            lnsMode: s.lns_mode != 0, reorderTimeoutMilliseconds: s.recv_timeout_ms,
            debugMask: s.debug, interfaceName: name, statistics: DataPathStatistics(s.stats))
    }
}
