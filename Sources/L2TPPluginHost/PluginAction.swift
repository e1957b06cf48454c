/// Something a plugin asks the daemon to do. Plugins may ask from any thread
/// at any time; the host hands the request to the daemon's action handler and
/// never carries it out itself.
public enum PluginAction: Hashable, Sendable {
    case closeTunnel(tunnelID: UInt16, reason: String, plugin: String)
    case closeSession(tunnelID: UInt16, sessionID: UInt16, reason: String, plugin: String)
}
