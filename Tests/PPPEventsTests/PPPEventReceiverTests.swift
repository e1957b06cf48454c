import PPPEvents
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Real datagrams over a Unix socket in a private temporary directory, and
/// the safety rules for binding in a world-writable place.
@Suite final class PPPEventReceiverTests {
    let scratch = ScratchDirectory("ppp-events")
    var directory: String { scratch.path }

    /// Collects what the handler gets, from the receiver's thread.
    final class Collector: Sendable {
        let results = Mutex<[Result<PPPEvent, PPPEventError>]>([])
        var handler: PPPEventReceiver.Handler { { result in self.results.withLock { $0.append(result) } } }

        func wait(for count: Int) -> [Result<PPPEvent, PPPEventError>] {
            for _ in 0..<200 {
                let current = results.withLock { $0 }
                if current.count >= count { return current }
                usleep(10_000)
            }
            return results.withLock { $0 }
        }
    }

    static func send(_ bytes: [UInt8], to path: String) -> Int {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        return bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
    }

    static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    @Test func receivesDatagramsOnItsThread() throws {
        let path = directory + "/event.sock"
        let collector = Collector()
        let receiver = try PPPEventReceiver(path: path, handler: collector.handler)
        receiver.start()
        #expect(Self.fileType(path) == S_IFSOCK)
        var status = stat()
        lstat(path, &status)
        #expect(status.st_mode & 0o777 == 0o600)

        let up = PPPEvent.upDown(
            PPPLinkState(tunnelID: 100, sessionID: 200, isUp: true, unit: 4, interfaceName: "ppp4", userName: "carol"))
        #expect(Self.send(try PPPEventEncoder.encode(up), to: path) > 0)
        #expect(Self.send([1, 2, 3], to: path) == 3)
        #expect(Self.send([UInt8](repeating: 7, count: 700), to: path) == 700)
        let results = collector.wait(for: 3)
        #expect(results.count == 3)
        #expect(try results.first?.get() == up)
        #expect(
            results.dropFirst().first.map { if case .failure(.truncatedHeader(length: 3)) = $0 { true } else { false } }
                == true)
        #expect(results.last.map { if case .failure(.oversize(length: 700)) = $0 { true } else { false } } == true)

        receiver.stop()
        #expect(Self.fileType(path) == nil, "stop removes our socket file")
    }

    @Test func receiveAvailableDrainsWithoutAThread() throws {
        let path = directory + "/poll.sock"
        let collector = Collector()
        let receiver = try PPPEventReceiver(path: path, handler: collector.handler)
        #expect(receiver.receiveAvailable() == 0)
        let accm = PPPEvent.accm(PPPACCMIndication(tunnelID: 1, sessionID: 2, sendACCM: 0, receiveACCM: 0xa0000))
        for _ in 0..<2 { _ = Self.send(try PPPEventEncoder.encode(accm), to: path) }
        #expect(receiver.receiveAvailable() == 2)
        #expect(collector.results.withLock { $0.compactMap { try? $0.get() } } == [accm, accm])
        receiver.stop()
    }

    @Test func aPlantedSymlinkIsRefusedAndLeftAlone() throws {
        let path = directory + "/link.sock"
        let victim = directory + "/victim"
        scratch.plantFile(at: victim, mode: 0o644)
        symlink(victim, path)
        #expect {
            _ = try PPPEventReceiver(path: path, handler: { _ in })
        } throws: { error in
            (error as? PPPEventSocketError)?.isNotASocket == true && "\(error)".contains("symbolic link")
        }
        #expect(Self.fileType(path) == S_IFLNK)
        #expect(Self.fileType(victim) == S_IFREG)
    }

    @Test func aRegularFileIsRefusedAndLeftAlone() throws {
        let path = directory + "/file.sock"
        scratch.plantFile(at: path, "keep", mode: 0o644)
        #expect {
            _ = try PPPEventReceiver(path: path, handler: { _ in })
        } throws: { error in
            (error as? PPPEventSocketError)?.isNotASocket == true && "\(error)".contains("regular file")
        }
        var status = stat()
        lstat(path, &status)
        #expect(status.st_mode & S_IFMT == S_IFREG && status.st_size == 4)
    }

    @Test func aStaleSocketIsReplacedButALiveOneIsNot() throws {
        let path = directory + "/stale.sock"
        // A socket file nobody is bound to any more (a crashed daemon's).
        let stale = try PPPEventSocket.bind(path: path)
        close(stale)
        #expect(Self.fileType(path) == S_IFSOCK)
        let receiver = try PPPEventReceiver(path: path, handler: { _ in })
        #expect {
            _ = try PPPEventReceiver(path: path, handler: { _ in })
        } throws: { error in
            (error as? PPPEventSocketError)?.isInUse == true
        }
        #expect(Self.fileType(path) == S_IFSOCK, "the live socket survives the second attempt")
        receiver.stop()
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the socket to another user"))
    func anotherUsersSocketIsRefusedEvenWhenNobodyIsBoundToIt() throws {
        let path = directory + "/stale.sock"
        // Planted: bound and left by another user (pppd runs as the daemon's user).
        let planted = try PPPEventSocket.bind(path: path)
        close(planted)
        #expect(lchown(path, 65534, 65534) == 0)
        #expect {
            _ = try PPPEventReceiver(path: path, handler: { _ in })
        } throws: { error in
            (error as? PPPEventSocketError)?.isNotOurs == true && "\(error)".contains("a socket of uid 65534")
        }
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_uid == 65534, "left where it was")
    }

    @Test func aTooLongPathIsRefused() {
        #expect {
            _ = try PPPEventSocket.bind(path: directory + "/" + String(repeating: "x", count: 120))
        } throws: { error in
            "\(error)".contains("longer than 107")
        }
    }
}
