public import COpenL2TPPlugin

/// A plugin's per-instance state: handed to the host as `user_data` and
/// released when the host unloads the plugin.
public protocol PluginInstance: AnyObject {
    /// The host is done with the plugin (unload, or a failed registration):
    /// stop threads and children here. The instance is released right after.
    func unregistered()
}

extension PluginInstance {
    public func unregistered() {}
}

/// Registers hooks with the instance as `user_data`, and gets the instance
/// back inside a hook. Hooks are C function pointers and capture nothing, so
/// the instance travels as `user_data`, retained once here and released by
/// the destructor the host calls.
public enum PluginRegistration {
    /// Returns the host's status (0 on success). On failure the instance is
    /// told `unregistered()` and released before this returns.
    public static func register(_ instance: some PluginInstance, hooks: ol2tp_hooks_t, context: PluginContext) -> Int32
    {
        var table = hooks
        table.size = UInt32(MemoryLayout<ol2tp_hooks_t>.size)
        let userData = Unmanaged.passRetained(instance as AnyObject).toOpaque()
        let status = context.host.pointee.register_hooks(context.plugin, &table, userData) { userData in
            guard let userData else { return }
            let object = Unmanaged<AnyObject>.fromOpaque(userData).takeRetainedValue()
            (object as? any PluginInstance)?.unregistered()
        }
        if status != 0 {
            let object = Unmanaged<AnyObject>.fromOpaque(userData).takeRetainedValue()
            (object as? any PluginInstance)?.unregistered()
        }
        return status
    }

    /// The instance `register` handed over, inside a hook.
    public static func instance<Instance: PluginInstance>(
        _ userData: UnsafeMutableRawPointer?, as type: Instance.Type = Instance.self
    ) -> Instance {
        // The pointer is the object's own: the same for AnyObject and Instance.
        Unmanaged<Instance>.fromOpaque(userData!).takeUnretainedValue()
    }
}
