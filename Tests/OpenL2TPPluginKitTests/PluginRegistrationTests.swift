import COpenL2TPPlugin
import OpenL2TPPluginKit
import Testing

/// The kit against a host table of our own: what the daemon would see.
@Suite(.serialized) struct PluginRegistrationTests {
    final class Instance: PluginInstance {
        nonisolated(unsafe) static var unregisteredCount = 0
        nonisolated(unsafe) static var alive = 0
        init() { Self.alive += 1 }
        deinit { Self.alive -= 1 }
        func unregistered() { Self.unregisteredCount += 1 }
    }

    /// What the fake host's register_hooks saw, and its answer.
    nonisolated(unsafe) static var registeredSize: UInt32 = 0
    nonisolated(unsafe) static var userData: UnsafeMutableRawPointer?
    nonisolated(unsafe) static var destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    nonisolated(unsafe) static var answer: Int32 = 0
    nonisolated(unsafe) static var logged: [(Int32, String)] = []

    static func host() -> ol2tp_host_api_t {
        var host = ol2tp_host_api_t()
        host.register_hooks = { _, hooks, userData, destroy in
            PluginRegistrationTests.registeredSize = hooks!.pointee.size
            PluginRegistrationTests.userData = userData
            PluginRegistrationTests.destroy = destroy
            return PluginRegistrationTests.answer
        }
        host.log = { _, level, message, length in
            let text = String(decoding: UnsafeRawBufferPointer(start: message, count: Int(length)), as: UTF8.self)
            PluginRegistrationTests.logged.append((level, text))
        }
        return host
    }

    func reset(answer: Int32) {
        Self.answer = answer
        Self.userData = nil
        Self.destroy = nil
        Self.logged = []
        Instance.unregisteredCount = 0
    }

    @Test func registeredInstanceIsFoundInHooksAndReleasedByTheHostsDestructor() {
        reset(answer: 0)
        var host = Self.host()
        withUnsafePointer(to: &host) { pointer in
            let context = PluginContext(host: pointer, plugin: nil, args: nil, length: 0)!
            #expect(context.arguments == "")
            #expect(PluginRegistration.register(Instance(), hooks: ol2tp_hooks_t(), context: context) == 0)
        }
        #expect(Self.registeredSize == UInt32(MemoryLayout<ol2tp_hooks_t>.size))
        #expect(Instance.alive == 1, "the host holds the instance")
        do {
            let found: Instance = PluginRegistration.instance(Self.userData)
            #expect(Unmanaged.passUnretained(found).toOpaque() == Self.userData)
            #expect(Instance.unregisteredCount == 0)
        }
        Self.destroy?(Self.userData)
        #expect(Instance.unregisteredCount == 1)
        #expect(Instance.alive == 0, "released after the destructor")
    }

    @Test func refusedRegistrationUnregistersAndReleasesAtOnce() {
        reset(answer: -22)
        var host = Self.host()
        withUnsafePointer(to: &host) { pointer in
            let context = PluginContext(host: pointer, plugin: nil, args: nil, length: 0)!
            #expect(PluginRegistration.register(Instance(), hooks: ol2tp_hooks_t(), context: context) == -22)
        }
        #expect(Instance.unregisteredCount == 1)
        #expect(Instance.alive == 0)
    }

    @Test func argumentsAreTakenByLengthAndLogsCarryLevelAndText() {
        reset(answer: 0)
        var host = Self.host()
        let raw = Array("pool=a,extra-not-passed".utf8CString)
        withUnsafePointer(to: &host) { pointer in
            raw.withUnsafeBufferPointer { buffer in
                let context = PluginContext(host: pointer, plugin: nil, args: buffer.baseAddress, length: 6)!
                #expect(context.arguments == "pool=a")
                context.log(Int32(OL2TP_LOG_WARNING), "careful")
            }
        }
        #expect(
            Self.logged.count == 1 && Self.logged.first?.0 == Int32(OL2TP_LOG_WARNING)
                && Self.logged.first?.1 == "careful")
        #expect(PluginContext(host: nil, plugin: nil, args: nil, length: 0) == nil)
    }

    @Test func descriptorCarriesMagicSizesAndNames() {
        let descriptor = PluginDescriptor.allocate(name: "kit_test", version: "2.5") { _, _, _, _ in 0 }
        #expect(descriptor.pointee.magic == UInt32(OL2TP_PLUGIN_MAGIC))
        #expect(descriptor.pointee.size == UInt32(MemoryLayout<ol2tp_plugin_descriptor_t>.size))
        #expect(descriptor.pointee.abi_major == UInt16(OL2TP_PLUGIN_ABI_MAJOR))
        let name = String(
            decoding: UnsafeRawBufferPointer(start: descriptor.pointee.name, count: Int(descriptor.pointee.name_len)),
            as: UTF8.self)
        let version = String(
            decoding: UnsafeRawBufferPointer(
                start: descriptor.pointee.version, count: Int(descriptor.pointee.version_len)),
            as: UTF8.self)
        #expect(name == "kit_test" && version == "2.5")
        #expect(descriptor.pointee.`init` != nil)
    }
}
