import L2TPManagement
import Foundation
import L2TPPluginHost
import Logging
import NIOCore
import PPPEvents
import Testing
@testable import L2TPDaemon

/// The daemon's hook points driven through the scripted engine, with the C
/// example plugin (plugin-sdk/examples/hook_logger.c, built with cc) loaded
/// through `DaemonPlugins`: what a plugin records is what the daemon fired.
@Suite struct DaemonPluginHookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Builds hook_logger.so once per test into a fresh directory.
    final class Plugin {
        let directory: URL
        let library: String
        let hooksFile: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daemon-hooks-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            library = directory.appendingPathComponent("hook_logger.so").path
            hooksFile = directory.appendingPathComponent("hooks.txt").path
            let cc = Process()
            cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            cc.arguments = [
                "cc", "-shared", "-fPIC", "-I", root.appendingPathComponent("plugin-sdk/include").path,
                root.appendingPathComponent("plugin-sdk/examples/hook_logger.c").path, "-o", library,
            ]
            try cc.run()
            cc.waitUntilExit()
            guard cc.terminationStatus == 0 else { throw DaemonError.invalidCommand("cc failed") }
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Loads it into `harness`'s daemon with hook_logger arguments.
        @discardableResult
        func load(into harness: DaemonHarness, _ arguments: String = "") throws -> DaemonPlugins {
            let plugins = DaemonPlugins(pluginDirectory: directory.path, logger: harness.daemon.logger) { _ in }
            let extra = arguments.isEmpty ? "" : "," + arguments
            try plugins.load(["\(library):file=\(hooksFile),tag=p\(extra)"])
            harness.daemon.plugins = plugins
            return plugins
        }

        /// Recorded lines without the tag, "init" and "unload".
        var lines: [String] {
            let text = (try? String(contentsOfFile: hooksFile, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map { String($0.dropFirst(2)) }.filter { $0 != "init" && $0 != "unload" }
        }
    }

    /// A spawning hook_logger loaded, and one local session up: session 1000
    /// in tunnel 100, as the PPP event tests need it.
    static func oneSessionUp() throws -> (Plugin, DaemonHarness) {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "spawn=1")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        return (plugin, h)
    }

    /// SIGTERM: the hooks keep their order, but the daemon's own work for
    /// every session (its log line among it) is done before the first
    /// session_down: from that hook on every pppd is exiting at once and the
    /// daemon would compete with all of them for the CPU.
    @Test func shutdownLogsEverySessionDownBeforeTheFirstHook() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "spawn=1")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1")
        h.tunnelUp(100)
        let sessions: [UInt16] = [1000, 1001, 1002]
        for sid in sessions {
            h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: sid, peerSessionID: sid))])
        }
        h.engine.sessionsOnClose[100] = sessions
        var hooksSeenAtLogLine: [Int] = []
        h.log.observer = { line in
            if line.contains("in tunnel 100 down") {
                hooksSeenAtLogLine.append(plugin.lines.filter { $0.hasPrefix("session_down") }.count)
            }
        }
        h.daemon.beginShutdown()
        h.log.observer = nil
        #expect(hooksSeenAtLogLine == [0, 0, 0])
        let teardown = plugin.lines.drop { !$0.hasPrefix("session_down") }.filter { !$0.hasPrefix("socket_") }
        #expect(
            Array(teardown) == sessions.flatMap {
                ["session_down t=100 s=\($0)", "session_deleted t=100 s=\($0)"]
            } + ["tunnel_down t=100", "tunnel_deleted t=100"])
    }

    @Test func localTunnelAndSessionLifeInOrder() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "spawn=1,ip=10.0.0.1/10.0.0.2")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t user_name=bert")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        h.daemon.perform(h.engine.closeTunnel(100, now: 0))
        let lines = plugin.lines
        let socket = try #require(lines.first { $0.hasPrefix("socket_connected") })
        #expect(socket.hasPrefix("socket_connected t=100 ") && socket.hasSuffix(">127.0.0.1:1701"))
        #expect(
            lines.filter { !$0.hasPrefix("socket_") } == [
                "tunnel_created t=100", "tunnel_authorize t=100 host=peer", "tunnel_up t=100",
                "session_created t=100 s=1000", "session_up t=100 s=1000", "ip_allocate t=100 s=1000",
                "ppp_spawn t=100 s=1000 fd=-1", "session_down t=100 s=1000", "ip_release t=100 s=1000",
                "session_deleted t=100 s=1000", "tunnel_down t=100", "tunnel_deleted t=100",
            ])
        // Connected when the tunnel came up, disconnected before it was deleted.
        let connected = try #require(lines.firstIndex { $0.hasPrefix("socket_connected") })
        let disconnected = try #require(lines.firstIndex { $0.hasPrefix("socket_disconnected") })
        #expect(connected < lines.firstIndex(of: "tunnel_up t=100")!)
        #expect(disconnected < lines.firstIndex(of: "tunnel_deleted t=100")!)
        #expect(h.log.contains("session 1000 in tunnel 100: PPP started by hook_logger (PPPoL2TP fd -1)"))
    }

    @Test func pluginRefusesAPeersTunnelWithItsResultCode() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "refuse_incoming=1")
        let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "lac", peerTunnelID: 3, tunnelID: 555)))
        ])
        guard case .refuse(let refusal) = h.engine.tunnelDecisions.first?.1 else { Issue.record("accepted"); return }
        #expect(refusal.resultCode == 2)
        #expect(refusal.reason == "refused by plugin hook_logger: incoming tunnels are not accepted")
        #expect(h.log.contains("refused tunnel 555 from 127.0.0.1:40000 host 'lac': refused by plugin hook_logger"))
        #expect(plugin.lines == ["tunnel_created t=555", "tunnel_deleted t=555"])
        #expect(h.daemon.counters.tunnelsRefused == 1)
    }

    @Test func pluginRefusesOurTunnelWhenThePeersHostNameIsKnown() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "refuse_host=peer")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes")
        h.tunnelUp(100)
        #expect(h.engine.closed == [100])
        #expect(h.engine.refusals.map(\.resultCode) == [2])
        #expect(
            h.log.contains(
                "tunnel 100 (t) refused by plugin hook_logger: peer host name is denied; StopCCN result code 2"))
        #expect(
            plugin.lines.filter { !$0.hasPrefix("socket_") } == [
                "tunnel_created t=100", "tunnel_authorize t=100 host=peer", "tunnel_deleted t=100",
            ])
        #expect(h.daemon.persistentTunnels.isEmpty)  // refused, so not retried
    }

    @Test func pluginRefusesASessionByCallingNumber() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h, "refuse_calling=5551234")
        let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "lac", peerTunnelID: 3, tunnelID: 555)))
        ])
        guard case .accept = h.engine.tunnelDecisions.first?.1 else { Issue.record("tunnel refused"); return }
        h.daemon.perform([.event(.tunnelUp(tunnelID: 555, peerTunnelID: 3, peer: peer, peerHostName: "lac"))])
        h.daemon.perform([
            .event(
                .sessionRequested(
                    SessionRequest(
                        tunnelID: 555, peerSessionID: 8, isOutgoingCall: false,
                        sessionID: 70, callSerialNumber: 1, callingNumber: "100"))),
            .event(
                .sessionRequested(
                    SessionRequest(
                        tunnelID: 555, peerSessionID: 9, isOutgoingCall: false,
                        sessionID: 77, callSerialNumber: 2, callingNumber: "5551234"))),
        ])
        let decisions = h.engine.sessionDecisions
        guard decisions.count == 2, case .accept = decisions[0].2, case .refuse(let refusal) = decisions[1].2 else {
            Issue.record("wrong decisions"); return
        }
        #expect(refusal.reason == "refused by plugin hook_logger: calling number is denied")
        #expect(refusal.resultCode == 2)
        #expect(
            plugin.lines.filter { $0.contains("s=77") } == [
                "session_created t=555 s=77", "session_authorize t=555 s=77 calling=5551234",
                "session_deleted t=555 s=77",
            ])
        #expect(plugin.lines.contains("session_authorize t=555 s=70 calling=100"))
        #expect(h.log.contains("refused session from 127.0.0.1:40000 in tunnel 555: refused by plugin hook_logger"))
    }

    @Test func pluginActionsCloseSessionsAndTunnels() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        try plugin.load(into: h)
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        h.daemon.handlePluginAction(.closeSession(tunnelID: 100, sessionID: 1000, reason: "quota", plugin: "radius"))
        #expect(h.log.contains("plugin radius closes session 1000 in tunnel 100: quota"))
        #expect(plugin.lines.contains("session_deleted t=100 s=1000"))
        h.daemon.handlePluginAction(.closeTunnel(tunnelID: 100, reason: "policy", plugin: "radius"))
        #expect(h.engine.closed == [100])
        #expect(plugin.lines.last == "tunnel_deleted t=100")
        h.daemon.handlePluginAction(.closeTunnel(tunnelID: 100, reason: "again", plugin: "radius"))
        #expect(h.log.contains("plugin radius asked to close tunnel 100, which no longer exists"))
    }

    @Test func sessionSnapshotCarriesCallDetailsAndEffectiveParameters() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        let plugins = try plugin.load(into: h)
        try h.run(
            "ppp profile create profile_name=dial mtu=1400 lcp_echo_interval=20\n"
                + "tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\n"
                + "session create tunnel_name=t ppp_profile_name=dial user_name=ann")
        h.tunnelUp(100)
        let tunnel = try #require(h.daemon.tunnels[100])
        let session = try #require(tunnel.sessions[1000])
        let info = h.daemon.sessionSnapshot(session, tunnel: tunnel)
        #expect(info.callType == .lacIncoming)
        #expect(info.userName == "ann")
        #expect(info.parameters["mtu"] == "1400")
        #expect(info.parameters["lcp_echo_interval"] == "20")
        #expect(info.parameters["ppp_profile_name"] == "dial")
        #expect(info.parameters["tunnel_mtu"] == "1460")
        _ = plugins
    }

    @Test func pppEventsUpdateTheSessionAndFirePPPHooks() throws {
        let (plugin, h) = try Self.oneSessionUp()
        let up = PPPLinkState(
            tunnelID: 100, sessionID: 1000, isUp: true, unit: 3, interfaceName: "ppp3", userName: "cora")
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        #expect(plugin.lines.last == "ppp_up t=100 s=1000 if=ppp3")
        #expect(
            h.daemon.pppState(tunnelID: 100, sessionID: 1000)
                == PluginPPPState(interfaceName: "ppp3", unit: 3, userName: "cora"))
        #expect(h.daemon.listUsers().contains("cora"))
        #expect(h.daemon.showSession(100, 1000).contains("ppp interface: ppp3 (unit 3)"))
        #expect(h.daemon.showSession(100, 1000).contains("ppp user name: cora"))
        // The management records (session show, user list) say the same.
        let record = h.daemon.sessionRecord(try #require(h.daemon.tunnels[100]?.sessions[1000]))
        #expect(record["interface_name"] == .string("ppp3") && record["user_name"] == .string("cora"))
        // Unknown sessions and garbage change nothing.
        h.daemon.handlePPPEvent(
            .success(.upDown(PPPLinkState(tunnelID: 1, sessionID: 2, isUp: true, unit: 0, interfaceName: "ppp0"))))
        h.daemon.handlePPPEvent(.failure(.oversize(length: 9999)))
        #expect(plugin.lines.filter { $0.hasPrefix("ppp_up") }.count == 1)
        var down = up
        down.isUp = false
        h.daemon.handlePPPEvent(.success(.upDown(down)))
        #expect(plugin.lines.last == "ppp_down t=100 s=1000")
        h.daemon.perform(h.engine.closeTunnel(100, now: 0))
        #expect(h.daemon.pppState(tunnelID: 100, sessionID: 1000) == nil)
    }

    /// pppol2tp.so reports up after IPCP and again after IPv6CP (and down
    /// once per protocol): the repeats are normal, so the hooks fire once and
    /// nothing is logged above trace level.
    @Test func repeatedPPPUpAndDownAreQuietAndFireTheHooksOnce() throws {
        let (plugin, h) = try Self.oneSessionUp()
        var up = PPPLinkState(
            tunnelID: 100, sessionID: 1000, isUp: true, unit: 0, interfaceName: "ppp0", userName: "bert")
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        #expect(plugin.lines.filter { $0.hasPrefix("ppp_up") }.count == 1)
        #expect(h.log.lines.filter { $0.contains("PPP up on ppp0") }.count == 1)
        #expect(!h.log.contains("not delivered"))
        #expect(h.daemon.pppState(tunnelID: 100, sessionID: 1000)?.isUp == true)
        up.isUp = false
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        #expect(plugin.lines.filter { $0.hasPrefix("ppp_down") }.count == 1)
        #expect(h.log.lines.filter { $0.contains("PPP down on ppp0") }.count == 1)
        #expect(!h.log.contains("not delivered"))
        // Down keeps the user for display until the session goes.
        #expect(
            h.daemon.pppState(tunnelID: 100, sessionID: 1000)
                == PluginPPPState(interfaceName: "ppp0", unit: 0, userName: "bert", isUp: false))
    }

    @Test func loadFailureNamesTheArgumentAndRefusesToStart() throws {
        let plugin = try Plugin()
        let h = DaemonHarness()
        let plugins = DaemonPlugins(pluginDirectory: plugin.directory.path, logger: h.daemon.logger) { _ in }
        #expect {
            try plugins.load(["\(plugin.library):file=\(plugin.hooksFile)", "nosuch"])
        } throws: { error in
            guard let error = error as? PluginStartupError else { return false }
            return error.argument == "nosuch" && error.load.code == .cannotOpen
                && error.description.contains("\(plugin.directory.path)/nosuch.so")
                && error.description.hasSuffix("openl2tpd not started (a plugin given with -p is required)")
        }
    }
}
