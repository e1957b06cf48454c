/// Adding arguments to a command being built: every check that does not
/// depend on how an argument was spelled (given twice, `unset` taking names
/// without values, keyword groups, the value's type). `CommandParser` adds
/// what it matched in text, `CommandParser.validatedCommand(_:arguments:)` what
/// arrived as a name and a value; both come through here, so they accept and
/// refuse the same things with the same messages.
extension ParsedCommand {
    /// `parameter=text` of `spec`. In `* profile unset` every parameter but
    /// `profile_name` is a name to reset and takes no value: `name=` unsets it.
    mutating func add(
        _ parameter: ParameterSpec, text: String, of spec: CommandSpec, at location: SourceLocation,
        valueAt valueLocation: SourceLocation
    ) throws(ConfigError) {
        let name = parameter.name
        if spec.takesParameterNames, name != .profileName {
            // `unset ... name=` reads as "unset name"; a value makes no sense.
            if text.isEmpty { return try unset(name, at: location) }
            try checkNotGiven(name, at: location)
            throw .invalidValue(
                parameter: name.rawValue, reason: "'unset' takes parameter names without values", at: valueLocation)
        }
        try checkNotGiven(name, at: location)
        arguments[name] = try parameter.value(text, at: valueLocation)
        argumentLocations[name] = valueLocation
    }

    /// A parameter of `* profile unset` to reset, given by its name alone.
    mutating func unset(_ name: ParameterName, at location: SourceLocation) throws(ConfigError) {
        try checkNotGiven(name, at: location)
        unsetParameters.append(name)
        argumentLocations[name] = location
    }

    /// A bare keyword; at most one word of each of the command's keyword groups.
    mutating func add(_ keyword: BareKeyword, of spec: CommandSpec, at location: SourceLocation) throws(ConfigError) {
        if let group = spec.keywordGroups.first(where: { $0.contains(keyword) }),
            let other = group.first(where: { $0 != keyword && keywords.contains($0) })
        {
            throw .conflicting("'\(keyword.rawValue)' cannot be combined with '\(other.rawValue)'", at: location)
        }
        guard keywords.insert(keyword).inserted else { throw .duplicateParameter(keyword.rawValue, at: location) }
    }

    private func checkNotGiven(_ name: ParameterName, at location: SourceLocation) throws(ConfigError) {
        if arguments[name] != nil || unsetParameters.contains(name) {
            throw .duplicateParameter(name.rawValue, at: location)
        }
    }
}
