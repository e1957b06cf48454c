// swift-tools-version:6.0
// openl2tp-swift: an L2TPv2 (RFC 2661) LAC/LNS daemon for Linux.
//
// Layering (see docs/ARCHITECTURE.md):
//   L2TPWire      sans-IO wire codec: header, AVPs, hidden AVPs, message specs
//   L2TPControl   sans-IO reliable transport and tunnel/session state machines
//   L2TPConfig    the command grammar shared by l2tpconfig and /etc/openl2tpd.conf,
//                 parameter tables, profiles
//   PacketCapture pcap writer (libpcap) for traces and the tshark test oracle
//   executables   openl2tpd, l2tpconfig, ippoold, ippoolconfig (I/O at the edges)
import PackageDescription

let package = Package(
    name: "openl2tp-swift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "openl2tpd", targets: ["openl2tpd"]),
        .executable(name: "l2tpconfig", targets: ["l2tpconfig"]),
        .executable(name: "ippoold", targets: ["ippoold"]),
        .executable(name: "ippoolconfig", targets: ["ippoolconfig"]),
        .library(name: "L2TPWire", targets: ["L2TPWire"]),
        .library(name: "L2TPControl", targets: ["L2TPControl"]),
        // Plugins: each its own shared object, loaded by `openl2tpd -p` (docs/plugins.md).
        .library(name: "ppp_null", type: .dynamic, targets: ["ppp_null"]),
        .library(name: "ipsec", type: .dynamic, targets: ["ipsec"]),
        .library(name: "SwiftHookLogger", type: .dynamic, targets: ["SwiftHookLogger"]),
        .library(name: "OpenL2TPPluginKit", targets: ["OpenL2TPPluginKit"]),
        .library(name: "event_sock", type: .dynamic, targets: ["event_sock"]),
        .library(name: "ippool", type: .dynamic, targets: ["ippool"]),
        .library(name: "ppp_unix", type: .dynamic, targets: ["ppp_unix"]),
        .library(name: "PPPEvents", targets: ["PPPEvents"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // MARK: - Protocol core (sans-IO)
        .target(
            name: "L2TPWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "L2TPControl",
            dependencies: [
                "L2TPWire",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "L2TPConfig"),

        // MARK: - Kernel datapath (edge: generic netlink "l2tp" + PPPoL2TP sockets;
        // docs/kernel-datapath.md). l2tp-datapath-check runs inside scripts/kernel-vm.
        .systemLibrary(name: "CLibNL", path: "Sources/CLibNL", pkgConfig: "libnl-genl-3.0"),
        .target(name: "CL2TPKernel", dependencies: ["CLibNL"]),
        .target(name: "L2TPDataPath", dependencies: ["CL2TPKernel"]),
        .executableTarget(name: "l2tp-datapath-check", dependencies: ["L2TPDataPath"]),
        .testTarget(name: "L2TPDataPathTests", dependencies: ["L2TPDataPath"]),
        // End to end: the built l2tpconfig against real openl2tpd processes (docs/management.md).
        .testTarget(
            name: "L2TPDaemonManagementTests",
            dependencies: [
                "L2TPDaemon", "L2TPManagement", "ONCRPC", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: - Edges
        .systemLibrary(name: "CPcap", path: "Sources/CPcap", pkgConfig: "libpcap"),
        // Files the daemons write (pid file, capture, lock file), never through a planted name.
        .target(name: "OwnedFiles"),
        .testTarget(name: "OwnedFilesTests", dependencies: ["OwnedFiles", "TestSupport"]),
        .target(name: "PacketCapture", dependencies: ["CPcap", "OwnedFiles"]),
        .testTarget(name: "PacketCaptureTests", dependencies: ["PacketCapture", "TestSupport"]),

        // MARK: - Daemon (I/O edge: sockets, signals, logging around the sans-IO core)
        .target(
            name: "L2TPDaemon",
            dependencies: [
                "L2TPWire", "L2TPControl", "L2TPConfig", "PacketCapture", "L2TPDataPath", "L2TPManagement", "ONCRPC",
                "L2TPPluginHost", "PPPEvents", "OwnedFiles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: - Management RPC (ONC RPC program 300773; ippoold uses 300775)
        .target(name: "ONCRPC"),
        .systemLibrary(name: "CTIRPC", path: "Sources/CTIRPC", pkgConfig: "libtirpc"),
        .target(
            name: "L2TPManagement",
            dependencies: [
                "ONCRPC", "CTIRPC", "OwnedFiles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ONCRPCTests", dependencies: ["ONCRPC"]),
        .testTarget(
            name: "L2TPManagementTests",
            dependencies: [
                "L2TPManagement", "ONCRPC", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // C client built from docs/l2tp_rpc.x with rpcgen at test time.
            exclude: ["Oracle"]
        ),

        // MARK: - Plugins (plugin-sdk/README.md, docs/plugins.md)
        .target(
            name: "COpenL2TPPlugin",
            path: "plugin-sdk",
            exclude: ["README.md", "examples", "swift"],
            sources: ["src"],
            publicHeadersPath: "include"
        ),
        // What every Swift plugin needs around the C ABI: descriptor, context, registration.
        .target(
            name: "OpenL2TPPluginKit", dependencies: ["COpenL2TPPlugin"], path: "plugin-sdk/swift/OpenL2TPPluginKit"
        ),
        .testTarget(name: "OpenL2TPPluginKitTests", dependencies: ["OpenL2TPPluginKit", "COpenL2TPPlugin"]),
        .target(name: "L2TPPluginHost", dependencies: ["COpenL2TPPlugin"]),
        .target(
            name: "ppp_null", dependencies: ["COpenL2TPPlugin"], path: "Plugins/ppp_null", publicHeadersPath: "."
        ),
        // pppd launcher plugin and pppd's event socket (docs/ppp.md).
        .target(name: "CPPPUnixShim", path: "Plugins/ppp_unix/CPPPUnixShim"),
        .target(
            name: "ppp_unix", dependencies: ["COpenL2TPPlugin", "OpenL2TPPluginKit", "CPPPUnixShim"],
            path: "Plugins/ppp_unix/PPPUnix"
        ),
        .target(name: "PPPEvents"),
        .executableTarget(name: "pppeventdump", dependencies: ["PPPEvents"]),
        .target(name: "ipsec", dependencies: ["COpenL2TPPlugin"], path: "Plugins/ipsec", publicHeadersPath: "."),
        .target(
            name: "event_sock", dependencies: ["COpenL2TPPlugin"], path: "Plugins/event_sock", publicHeadersPath: "."
        ),
        .target(
            name: "SwiftHookLogger",
            dependencies: ["COpenL2TPPlugin", "OpenL2TPPluginKit"],
            path: "plugin-sdk/examples/SwiftHookLogger"
        ),

        // MARK: - l2tpconfig (libedit line editing, command dispatch, output)
        .target(name: "CEdit", path: "Sources/CEdit", linkerSettings: [.linkedLibrary("edit")]),
        .target(name: "L2TPConfigCLI", dependencies: ["L2TPConfig", "L2TPManagement", "CEdit"]),
        .testTarget(
            name: "L2TPConfigCLITests",
            dependencies: [
                "L2TPConfigCLI", "L2TPConfig", "L2TPManagement", "ONCRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // MARK: - Programs
        .executableTarget(
            name: "openl2tpd",
            dependencies: [
                "L2TPDaemon",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "l2tpconfig", dependencies: ["L2TPConfigCLI", "L2TPManagement"]),
        // Load and attack traffic for the admission tests (docs/reliability.md): sans-IO LAC
        // driver and flood pieces in the library, sockets in the program.
        .target(
            name: "L2TPLoadGen",
            dependencies: [
                "L2TPWire", "L2TPControl", .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "l2tp-loadgen",
            dependencies: [
                "L2TPLoadGen", "L2TPWire", "L2TPControl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "L2TPLoadGenTests",
            dependencies: ["L2TPLoadGen", "L2TPWire", "L2TPControl", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // MARK: - IP pools (docs/ippool.md): sans-IO model, RPC service, daemon, CLI, plugin
        .target(name: "IPPool", dependencies: ["L2TPConfig"]),
        .target(
            name: "IPPoolService",
            dependencies: [
                "IPPool", "ONCRPC", "L2TPManagement",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ippoold",
            dependencies: [
                "IPPool", "IPPoolService", "L2TPManagement",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "ippoolconfig", dependencies: ["IPPool", "L2TPManagement", "L2TPConfigCLI", "CEdit"]),
        // The plugin links only ONCRPC (no NIO, no L2TPConfig): a blocking socket suffices.
        .target(
            name: "ippool", dependencies: ["COpenL2TPPlugin", "OpenL2TPPluginKit", "ONCRPC"], path: "Plugins/ippool"),
        .testTarget(name: "IPPoolTests", dependencies: ["IPPool"]),
        .testTarget(
            name: "IPPoolServerTests",
            dependencies: [
                "IPPool", "IPPoolService", "L2TPManagement", "L2TPPluginHost", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "L2TPWireTests", dependencies: ["L2TPWire", "PacketCapture"]),
        .testTarget(
            name: "L2TPControlTests",
            dependencies: ["L2TPControl", "L2TPWire", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "L2TPConfigTests", dependencies: ["L2TPConfig"], exclude: ["Fixtures"]),
        .testTarget(
            name: "L2TPDaemonTests",
            dependencies: [
                "L2TPDaemon", "L2TPControl", "L2TPConfig", "L2TPWire", "L2TPDataPath", "L2TPManagement", "ONCRPC",
                "L2TPPluginHost", "PPPEvents", "TestSupport",
            ]),
        .testTarget(
            name: "L2TPDaemonPluginTests",
            dependencies: [
                "L2TPDaemon", "L2TPPluginHost", "L2TPConfig", "L2TPControl", "L2TPWire",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "L2TPPluginHostTests",
            dependencies: ["L2TPPluginHost", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        // Load the built libipsec.so / libevent_sock.so (no link dependency on purpose).
        .target(name: "TestSupport", dependencies: ["L2TPPluginHost", "L2TPManagement"], path: "Tests/TestSupport"),
        .testTarget(name: "IPsecPluginTests", dependencies: ["L2TPPluginHost", "TestSupport"]),
        .testTarget(name: "EventSockPluginTests", dependencies: ["L2TPPluginHost", "TestSupport"]),
        .testTarget(name: "PPPEventsTests", dependencies: ["PPPEvents", "pppeventdump", "TestSupport"]),
        .testTarget(
            name: "PPPUnixTests", dependencies: ["ppp_unix", "L2TPPluginHost", "TestSupport"], exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
