/// The daemon's hook points (docs/daemon.md, "Hook points"), called on the
/// event loop in the guaranteed order per object: created, up, down, deleted.
/// `PluginHooks` forwards them to L2TPPluginHost; without plugins there are
/// no hooks. Deciding hooks return a refusal reason, nil to accept.
public protocol DaemonHooks: AnyObject {
    /// A tunnel exists (locally created, or admitted from a peer): plugins may refuse it.
    func tunnelCreated(_ tunnel: TunnelRecord) -> String?
    func socketConnected(_ tunnel: TunnelRecord)
    func tunnelUp(_ tunnel: TunnelRecord)
    func tunnelDown(_ tunnel: TunnelRecord)
    func socketDisconnected(_ tunnel: TunnelRecord)
    func tunnelDeleted(_ tunnel: TunnelRecord)
    /// A session exists (ours when opened, the peer's once its id is known): plugins may refuse it.
    func sessionCreated(_ session: SessionRecord, in tunnel: TunnelRecord) -> String?
    /// Session established: up hook, address allocation, PPP spawn on `pppSocket` (kernel data path).
    func sessionUp(_ session: SessionRecord, in tunnel: TunnelRecord, pppSocket: Int32?)
    func sessionDown(_ session: SessionRecord, in tunnel: TunnelRecord)
    /// SIGTERM, after the daemon's own teardown.
    func unloadAll()
}
