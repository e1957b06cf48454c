import Foundation
import L2TPPluginHost
import Testing

/// Every way a load can fail gives a typed error naming the file and the
/// problem, with the dynamic loader's own words where it was involved.
@Suite struct PluginLoadErrorTests {
    let directory: URL

    init() throws { directory = try PluginTestSupport.makeTemporaryDirectory() }

    private func load(_ path: String, arguments: String = "") -> (PluginLoadError?, DaemonRecorder) {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost(directory: directory.path)
        do {
            try host.load(path, arguments: arguments)
            return (nil, recorder)
        } catch {
            return (error, recorder)
        }
    }

    @Test func aNonExistentPathCarriesDlerrorText() {
        let path = directory.appendingPathComponent("nope.so").path
        let (error, recorder) = load(path)
        #expect(error?.code == .cannotOpen)
        #expect(error?.path == path)
        #expect(error?.message.contains("No such file or directory") == true)
        #expect(error?.message.contains(path) == true)
        // The refusal is logged for the operator as well.
        #expect(recorder.logMessages.contains { $0.level == .error && $0.message == error?.message })
    }

    @Test func aSharedObjectWithoutTheEntrySymbolIsNamedAsSuch() throws {
        let output = directory.appendingPathComponent("no_entry.so")
        try PluginTestSupport.compile(PluginTestSupport.fixture("no_entry.c"), to: output)
        let (error, _) = load(output.path)
        #expect(error?.code == .missingEntrySymbol)
        #expect(error?.message.contains("openl2tp_plugin_entry_v1") == true)
        // dlerror() text: "<path>: undefined symbol: openl2tp_plugin_entry_v1"
        #expect(error?.message.contains("undefined symbol") == true)
    }

    @Test func aPluginBuiltForAnotherABIMajorIsRefusedBeforeItsInitRuns() throws {
        let output = directory.appendingPathComponent("future.so")
        let log = directory.appendingPathComponent("future.log")
        try PluginTestSupport.compile(
            PluginTestSupport.hookLoggerSource, to: output, extraFlags: ["-DOL2TP_PLUGIN_ABI_MAJOR=2"])
        let (error, recorder) = load(output.path, arguments: "file=\(log.path)")
        #expect(error?.code == .abiMismatch)
        #expect(error?.message.contains("ABI 2.2") == true)
        #expect(error?.message.contains("ABI 1.2") == true)
        #expect(error?.message.contains("hook_logger") == true)
        #expect(recorder.logMessages.contains { $0.level == .error && $0.message.contains("refused") })
        #expect(!FileManager.default.fileExists(atPath: log.path), "init must not run")
    }

    @Test func aDescriptorWithABadMagicIsRefused() throws {
        let output = directory.appendingPathComponent("bad_magic.so")
        try PluginTestSupport.compile(PluginTestSupport.fixture("bad_magic.c"), to: output)
        let (error, _) = load(output.path)
        #expect(error?.code == .invalidDescriptor)
        #expect(error?.message.contains("magic is 0x12345678") == true)
    }

    /// `descriptor_text.c` built with `flags`, then loaded.
    private func loadDescriptorText(_ file: String, _ flags: [String]) throws -> (String, PluginLoadError?) {
        let output = directory.appendingPathComponent(file)
        try PluginTestSupport.compile(PluginTestSupport.fixture("descriptor_text.c"), to: output, extraFlags: flags)
        return (output.path, load(output.path).0)
    }

    @Test func aNameLengthOfTwoGigabytesIsRefusedNamingTheFileAndTheField() throws {
        let (path, error) = try loadDescriptorText("huge_name_len.so", ["-DNAME_LEN=0x7fffffff"])
        #expect(error?.code == .invalidDescriptor)
        #expect(
            error?.message
                == "plugin \(path): invalid descriptor: name_len is 2147483647, more than the 64 bytes a name may have"
        )
    }

    @Test func aVersionLengthBeyondTheLimitIsRefusedToo() throws {
        let (path, error) = try loadDescriptorText("huge_version_len.so", ["-DVERSION_LEN=65"])
        #expect(error?.code == .invalidDescriptor)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("version_len is 65, more than the 64 bytes") == true)
    }

    @Test func aNameLengthPastTheNameIsRefusedWithoutReadingPastItsNUL() throws {
        let (_, error) = try loadDescriptorText("long_name_len.so", ["-DNAME=\"short\"", "-DNAME_LEN=40"])
        #expect(error?.code == .invalidDescriptor)
        #expect(error?.message.contains("name_len is 40 but the name ends with a NUL after 5 bytes") == true)
    }

    @Test func aNameThatIsNotUTF8IsRefused() throws {
        let (_, error) = try loadDescriptorText("latin1_name.so", ["-DNAME=\"caf\\xe9\""])
        #expect(error?.code == .invalidDescriptor)
        #expect(error?.message.contains("the name (name_len 4) is not valid UTF-8") == true)
    }

    @Test func namesUpToTheLimitLoad() throws {
        let longest = String(repeating: "n", count: 64)
        let recorder = DaemonRecorder()
        let host = recorder.makeHost(directory: directory.path)
        for (file, name) in [("plain.so", "descriptor_text"), ("longest.so", longest), ("utf8.so", "café")] {
            let output = directory.appendingPathComponent(file)
            try PluginTestSupport.compile(
                PluginTestSupport.fixture("descriptor_text.c"), to: output, extraFlags: ["-DNAME=\"\(name)\""])
            try host.load(output.path)
            #expect(host.plugins.last?.name == name)
        }
        #expect(host.plugins.map(\.version) == ["1.0", "1.0", "1.0"])
    }

    @Test func aFailingInitIsReportedWithItsErrno() throws {
        let output = directory.appendingPathComponent("hook_logger.so")
        try PluginTestSupport.compile(PluginTestSupport.hookLoggerSource, to: output)
        let (error, _) = load(output.path, arguments: "file=/nonexistent-dir/x.log")
        #expect(error?.code == .initFailed)
        #expect(error?.message.contains("init returned -2 (No such file or directory)") == true)
    }

    @Test func bareNamesAreLookedUpInThePluginDirectory() throws {
        let log = directory.appendingPathComponent("hooks.log")
        try PluginTestSupport.compile(
            PluginTestSupport.hookLoggerSource, to: directory.appendingPathComponent("hook_logger.so"))
        try PluginTestSupport.compile(
            PluginTestSupport.hookLoggerSource, to: directory.appendingPathComponent("libswiftish.so"))
        let host = DaemonRecorder().makeHost(directory: directory.path)
        try host.load(commandLineArgument: "hook_logger:file=\(log.path),tag=bare")
        try host.load("hook_logger.so", arguments: "file=\(log.path),tag=suffixed")
        try host.load("swiftish", arguments: "file=\(log.path),tag=lib")
        try host.load("swiftish.so", arguments: "file=\(log.path),tag=lib")
        #expect(
            host.plugins.map(\.path) == [
                directory.appendingPathComponent("hook_logger.so").path,
                directory.appendingPathComponent("hook_logger.so").path,
                directory.appendingPathComponent("libswiftish.so").path,
                directory.appendingPathComponent("libswiftish.so").path,
            ])
        #expect(
            host.plugins.map(\.arguments) == [
                "file=\(log.path),tag=bare", "file=\(log.path),tag=suffixed", "file=\(log.path),tag=lib",
                "file=\(log.path),tag=lib",
            ])
        let missing = #expect(throws: PluginLoadError.self) { try host.load("ipsec") }
        #expect(missing?.code == .cannotOpen)
        #expect(missing?.path == directory.appendingPathComponent("ipsec.so").path)
    }

    @Test func thePluginDirectoryDefaultsToUsrLibOpenl2tp() {
        let host = PluginHost(daemonVersion: "x")
        let environment = ProcessInfo.processInfo.environment[PluginHost.pluginDirectoryEnvironmentVariable]
        #expect(host.pluginDirectory == (environment ?? "/usr/lib/openl2tp"))
        #expect(PluginHost(daemonVersion: "x", pluginDirectory: "/opt/p").pluginDirectory == "/opt/p")
    }

    @Test func pluginsAreToldTheDaemonsReleaseByDefault() {
        #expect(PluginHost().daemonVersion == OpenL2TPVersion.string)
        #expect(OpenL2TPVersion.string.split(separator: ".").count == 3)
    }

    @Test func commandLineSpecsSplitAtTheFirstColon() {
        #expect(PluginSpec(commandLineArgument: "ipsec.so") == PluginSpec(nameOrPath: "ipsec.so"))
        #expect(
            PluginSpec(commandLineArgument: "ippool:pool=a:b,x=1")
                == PluginSpec(nameOrPath: "ippool", arguments: "pool=a:b,x=1"))
        #expect(PluginSpec(commandLineArgument: "ppp_null:") == PluginSpec(nameOrPath: "ppp_null", arguments: ""))
    }
}
