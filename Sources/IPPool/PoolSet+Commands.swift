/// Runs validated commands against the pools: the one path shared by
/// `ippoold -c FILE` and the RPC procedures, so both accept and refuse the
/// same things with the same messages.
extension PoolSet {
    /// Applies `path` with full-name arguments (already validated by
    /// `PoolCommandSpec.validate`); returns the reply records.
    public mutating func execute(_ path: PoolCommandPath, _ arguments: [(name: String, value: String)])
        throws(IPPoolError) -> [PoolRecord]
    {
        func value(_ name: String) -> String? { arguments.last { $0.name == name }?.value }
        func address(_ name: String) throws(IPPoolError) -> IPv4 {
            guard let text = value(name), let address = IPv4(text) else {
                throw .missingParameter(name, command: path.rawValue)
            }
            return address
        }
        func count(_ name: String) -> UInt32? { value(name).flatMap { UInt32($0) } }
        func block() throws(IPPoolError) -> AddressBlock? {
            guard value("first_addr") != nil else { return nil }
            let first = try address("first_addr")
            if let mask = value("netmask") {
                return try AddressBlock(network: first, prefixLength: try PoolParameter.prefixLength(mask))
            }
            return try AddressBlock(first: first, count: count("num_addrs") ?? 1)
        }
        let name = value("pool_name") ?? ""
        switch path {
        case .systemShow:
            return []
        case .poolCreate:
            try create(
                name, block: try block(), maxAddresses: Int(count("max_addrs") ?? 0), drain: value("drain") == "yes")
            return [try poolRecord(name)]
        case .poolDelete:
            try delete(name)
            return []
        case .poolModify:
            try modify(
                name, maxAddresses: count("max_addrs").map { Int($0) }, drain: value("drain").map { $0 == "yes" })
            return [try poolRecord(name)]
        case .poolShow:
            let pool = try pool(name)
            var record = try poolRecord(name)
            record.fields.append(.init("blocks", .string(pool.blocks.map(\.description).joined(separator: ","))))
            record.fields.append(
                .init(
                    "allocated_addrs", .string(pool.addresses(in: .allocated).map(\.description).joined(separator: ","))
                ))
            record.fields.append(
                .init("reserved_addrs", .string(pool.runs(in: .reserved).map(\.description).joined(separator: ","))))
            return [record]
        case .poolList:
            var records: [PoolRecord] = []
            for poolName in names { records.append(try poolRecord(poolName)) }
            return records
        case .addressAdd:
            try add(try block()!, to: name)
            return [try poolRecord(name)]
        case .addressRemove:
            try remove(try block()!, from: name)
            return [try poolRecord(name)]
        case .addressReserve:
            try reserve(try address("first_addr"), count: count("num_addrs") ?? 1, in: name)
            return [try poolRecord(name)]
        case .addressUnreserve:
            try unreserve(try address("first_addr"), count: count("num_addrs") ?? 1, in: name)
            return [try poolRecord(name)]
        case .allocate:
            let allocated = try allocate(from: name)
            return [
                PoolRecord(
                    kind: "allocation",
                    fields: [.init("pool_name", .string(name)), .init("addr", .ipv4(allocated.value))])
            ]
        case .free:
            try free(try address("addr"), in: name)
            return []
        case .configSave:
            return [PoolRecord(kind: "config", fields: [.init("text", .string(configurationText))])]
        }
    }

    /// A pool's settings and statistics, as `pool list` and `pool show` print them.
    public func poolRecord(_ name: String) throws(IPPoolError) -> PoolRecord {
        let pool = try pool(name)
        let s = pool.statistics
        return PoolRecord(
            kind: "pool",
            fields: [
                .init("pool_name", .string(name)),
                .init("total", .uint(UInt64(s.total))),
                .init("available", .uint(UInt64(s.available))),
                .init("allocated", .uint(UInt64(s.allocated))),
                .init("reserved", .uint(UInt64(s.reserved))),
                .init("max_addrs", .uint(UInt64(pool.maxAddresses))),
                .init("drain", .bool(pool.drain)),
                .init("exhausted_count", .uint(UInt64(s.exhaustedCount))),
            ])
    }

    /// The pools as commands that `ippoold -c` (or `ippoolconfig -f`) reads
    /// back into the same pools: settings, blocks and reservations.
    /// Allocations are runtime state and are not saved.
    public var configurationText: String {
        var lines = ["# ippoold configuration (allocations are not saved)"]
        for name in names {
            let pool = pools[name]!
            var create = "pool create pool_name=\(name)"
            if pool.maxAddresses > 0 { create += " max_addrs=\(pool.maxAddresses)" }
            if pool.drain { create += " drain=yes" }
            lines.append(create)
            for block in pool.blocks {
                lines.append("pool address add pool_name=\(name) first_addr=\(block.first) num_addrs=\(block.count)")
            }
            for run in pool.runs(in: .reserved) {
                lines.append("pool address reserve pool_name=\(name) first_addr=\(run.first) num_addrs=\(run.count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Applies a whole config file: all parse errors first (nothing applied),
    /// then each command in order; the first one refused stops with its
    /// `FILE:LINE:` message. Used by `ippoold -c FILE`.
    public mutating func load(_ text: String, file: String) throws(LocatedPoolError) {
        let parsed = PoolCommandParser.parse(text, file: file)
        if let first = parsed.errors.first { throw first }
        var candidate = self
        for command in parsed.commands {
            guard command.path.allowedInConfigFile else {
                throw LocatedPoolError(
                    location: command.location,
                    error: .syntax("'\(command.path)' is not allowed in a configuration file"))
            }
            do {
                _ = try candidate.execute(command.path, command.arguments)
            } catch {
                throw LocatedPoolError(location: command.location, error: error)
            }
        }
        self = candidate
    }
}
