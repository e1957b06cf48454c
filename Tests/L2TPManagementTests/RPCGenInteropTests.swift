import Foundation
import Testing

@testable import L2TPManagement

/// An independent implementation talks to our server: C stubs that rpcgen
/// generates from docs/l2tp_rpc.x, linked with libtirpc (Oracle/). This checks
/// that the .x file is valid, that its layout is what the Swift code sends, and
/// that libtirpc's client accepts our framing, including a multi-fragment
/// reply of 65,535 records.
@Suite(.serialized) struct RPCGenInteropTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Builds the oracle; nil with a reason when rpcgen or cc is missing.
    static func buildOracle() -> (path: String?, problem: String?) {
        let directory = makeTemporaryDirectory()
        let fileManager = FileManager.default
        do {
            try fileManager.copyItem(
                atPath: packageRoot.appendingPathComponent("docs/l2tp_rpc.x").path, toPath: directory + "/l2tp_rpc.x")
            try fileManager.copyItem(
                atPath: packageRoot.appendingPathComponent("Tests/L2TPManagementTests/Oracle/l2tp_rpc_oracle.c").path,
                toPath: directory + "/l2tp_rpc_oracle.c")
        } catch {
            return (nil, "cannot stage oracle sources: \(error)")
        }
        guard let rpcgen = ["/usr/bin/rpcgen"].first(where: fileManager.isExecutableFile) else {
            return (nil, "rpcgen is not installed (package rpcsvc-proto, scripts/bootstrap)")
        }
        guard let cc = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first(where: fileManager.isExecutableFile)
        else { return (nil, "no C compiler") }
        for (flag, output) in [("-h", "l2tp_rpc.h"), ("-c", "l2tp_rpc_xdr.c"), ("-l", "l2tp_rpc_clnt.c")] {
            let result = RPCBindFixture.run(
                "/bin/sh", ["-c", "cd \(directory) && \(rpcgen) \(flag) -o \(output) l2tp_rpc.x"])
            guard result.status == 0 else { return (nil, "rpcgen \(flag) failed: \(result.output)") }
        }
        let compile = RPCBindFixture.run(
            "/bin/sh",
            [
                "-c",
                "cd \(directory) && \(cc) -w -I. -I/usr/include/tirpc -o oracle l2tp_rpc_oracle.c "
                    + "l2tp_rpc_xdr.c l2tp_rpc_clnt.c -ltirpc",
            ])
        guard compile.status == 0 else { return (nil, "compiling the oracle failed: \(compile.output)") }
        return (directory + "/oracle", nil)
    }

    @Test func rpcgenClientCreatesATunnelAndListsSessions() async throws {
        let (oracle, problem) = try await blocking { Self.buildOracle() }
        guard let oracle else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("rpcgen interop test needs its tools in CI: \(problem ?? "")")
            } else {
                print("NOTE: skipping rpcgen interop test: \(problem ?? "")")
            }
            return
        }
        let handler = TestManagementHandler()
        await handler.state.setSessionListSize(65535)
        let server = try await startServer(
            .tcp(host: "127.0.0.1", port: 0), handler: handler, configuration: RPCServerConfiguration())
        let port = try #require(server.port)

        let created = try await blocking { RPCBindFixture.run(oracle, ["\(port)", "create"]) }
        #expect(created.status == 0, "\(created.output)")
        #expect(
            created.output
                == "status=0 message=\"\" records=1\nrecord 0 kind=tunnel tunnel_id=1\n")

        let listed = try await blocking { RPCBindFixture.run(oracle, ["\(port)", "sessions"]) }
        #expect(listed.status == 0, "\(listed.output)")
        let lines = listed.output.split(separator: "\n")
        #expect(lines.first == "status=0 message=\"\" records=65535")
        #expect(
            lines.last == "record 65534 kind=session tunnel_id=1 session_id=65535 state=\"ESTABLISHED\"")
        await server.close()
    }

    /// Another uid (nobody) over loopback TCP and over a Unix socket opened to
    /// it (mode 0666 for the test only): identified by the kernel and refused
    /// with AUTH_ERROR, which libtirpc reports as "credential too weak".
    @Test func otherUsersAreRefusedWithAuthError() async throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("NOTE: skipping other-uid test: needs root and setpriv")
            return
        }
        let (oracle, problem) = try await blocking { Self.buildOracle() }
        guard let oracle else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("rpcgen interop test needs its tools in CI: \(problem ?? "")")
            }
            return
        }
        let directory = (oracle as NSString).deletingLastPathComponent
        chmod(directory, 0o755)
        let path = directory + "/l2tpd.sock"
        let handler = TestManagementHandler()
        let tcp = try await startServer(
            .tcp(host: "127.0.0.1", port: 0), handler: handler, configuration: RPCServerConfiguration())
        let unix = try await startServer(.unixSocket(path: path), handler: handler)
        chmod(path, 0o666)
        let port = try #require(tcp.port)
        for target in ["\(port)", path] {
            let result = try await blocking {
                RPCBindFixture.run(
                    "/usr/bin/setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", oracle, target, "create"])
            }
            #expect(result.status == 3, "\(target): \(result.output)")
            #expect(result.output.contains("Authentication error"), "\(target): \(result.output)")
            #expect(result.output.contains("too weak"), "\(target): \(result.output)")
        }
        let asRoot = try await blocking { RPCBindFixture.run(oracle, [path, "create"]) }
        #expect(asRoot.output.hasPrefix("status=0"), "\(asRoot.output)")
        #expect(await handler.state.callers.count == 1)
        await tcp.close()
        await unix.close()
    }
}
