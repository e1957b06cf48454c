/// An error in configuration text or in a configuration change.
///
/// A public struct wrapping a private code (swift-certificates style), so new
/// kinds can be added without breaking callers. The message always names the
/// keyword, parameter or profile at fault; `description` prefixes the location
/// as `FILE:LINE:COLUMN: message`.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    fileprivate enum Code: Hashable, Sendable {
        case syntax
        case unknownKeyword
        case ambiguousKeyword
        case incompleteCommand
        case unknownParameter
        case ambiguousParameter
        case duplicateParameter
        case invalidValue
        case missingParameter
        case conflictingParameters
        case unexpectedWord
        case profileNotFound
        case profileExists
        case profileNotDeletable
        case profileInUse
        case notAllowedHere
    }

    /// The category of an error, comparable in tests and switchable by callers
    /// (`error.kind == .invalidValue`). New kinds may be added.
    public struct Kind: Hashable, Sendable {
        fileprivate let code: Code
        public static let syntax = Kind(code: .syntax)
        public static let unknownKeyword = Kind(code: .unknownKeyword)
        public static let ambiguousKeyword = Kind(code: .ambiguousKeyword)
        public static let incompleteCommand = Kind(code: .incompleteCommand)
        public static let unknownParameter = Kind(code: .unknownParameter)
        public static let ambiguousParameter = Kind(code: .ambiguousParameter)
        public static let duplicateParameter = Kind(code: .duplicateParameter)
        public static let invalidValue = Kind(code: .invalidValue)
        public static let missingParameter = Kind(code: .missingParameter)
        public static let conflictingParameters = Kind(code: .conflictingParameters)
        public static let unexpectedWord = Kind(code: .unexpectedWord)
        public static let profileNotFound = Kind(code: .profileNotFound)
        public static let profileExists = Kind(code: .profileExists)
        public static let profileNotDeletable = Kind(code: .profileNotDeletable)
        public static let profileInUse = Kind(code: .profileInUse)
        public static let notAllowedHere = Kind(code: .notAllowedHere)
    }

    private let code: Code
    /// What is wrong, without the location prefix.
    public let message: String
    /// Where it is wrong; nil for errors from programmatic (non-text) changes.
    public var location: SourceLocation?

    private init(_ code: Code, _ message: String, _ location: SourceLocation?) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var kind: Kind { Kind(code: code) }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }

    /// The same error reported at another place (e.g. the command that made
    /// a model change fail).
    public func located(at location: SourceLocation?) -> ConfigError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }

    // MARK: - Factories

    static func syntax(_ message: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.syntax, message, location)
    }

    static func unknownKeyword(_ word: String, expected: [String], context: String, at location: SourceLocation?)
        -> ConfigError
    {
        let what =
            context.isEmpty
            ? "unknown command '\(VisibleText.escaped(word))'"
            : "unknown keyword '\(VisibleText.escaped(word))' after '\(context)'"
        return ConfigError(.unknownKeyword, "\(what); expected one of: \(expected.joined(separator: ", "))", location)
    }

    static func ambiguousKeyword(_ word: String, matches: [String], at location: SourceLocation?) -> ConfigError {
        ConfigError(
            .ambiguousKeyword,
            "ambiguous keyword '\(VisibleText.escaped(word))': could be \(matches.joined(separator: ", "))", location)
    }

    static func incompleteCommand(_ words: String, expected: [String], at location: SourceLocation?) -> ConfigError {
        ConfigError(
            .incompleteCommand, "incomplete command '\(words)'; expected one of: \(expected.joined(separator: ", "))",
            location)
    }

    static func unknownParameter(_ name: String, command: String, valid: [String], at location: SourceLocation?)
        -> ConfigError
    {
        ConfigError(
            .unknownParameter,
            "unknown parameter '\(VisibleText.escaped(name))' for '\(command)'; valid parameters: \(valid.joined(separator: ", "))",
            location
        )
    }

    static func ambiguousParameter(_ name: String, matches: [String], at location: SourceLocation?) -> ConfigError {
        ConfigError(
            .ambiguousParameter,
            "ambiguous parameter '\(VisibleText.escaped(name))': could be \(matches.joined(separator: ", "))", location)
    }

    static func duplicateParameter(_ name: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.duplicateParameter, "\(name): given more than once", location)
    }

    static func invalidValue(parameter: String, reason: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.invalidValue, "\(parameter): \(reason)", location)
    }

    static func missingParameter(_ name: String, command: String, emptyGiven: Bool, at location: SourceLocation?)
        -> ConfigError
    {
        let detail =
            emptyGiven ? "is required by '\(command)' but was given an empty value" : "is required by '\(command)'"
        return ConfigError(.missingParameter, "\(name): \(detail)", location)
    }

    static func missingOneOf(_ names: [String], command: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.missingParameter, "'\(command)' needs one of: \(names.joined(separator: ", "))", location)
    }

    static func conflicting(_ message: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.conflictingParameters, message, location)
    }

    static func unexpectedWord(_ word: String, command: String, valid: [String], at location: SourceLocation?)
        -> ConfigError
    {
        let hint =
            valid.isEmpty
            ? "arguments are written name=value"
            : "expected name=value or one of: \(valid.joined(separator: ", "))"
        return ConfigError(
            .unexpectedWord, "unexpected word '\(VisibleText.escaped(word))' in '\(command)'; \(hint)", location)
    }

    static func profileNotFound(
        _ kind: ProfileKind, _ name: String, referencedBy: String? = nil, at location: SourceLocation? = nil
    ) -> ConfigError {
        var message = "\(kind.rawValue) profile '\(name)' does not exist"
        if let referencedBy { message += " (named by \(referencedBy))" }
        return ConfigError(.profileNotFound, message, location)
    }

    static func profileExists(_ kind: ProfileKind, _ name: String, at location: SourceLocation? = nil) -> ConfigError {
        ConfigError(
            .profileExists,
            "\(kind.rawValue) profile '\(name)' already exists; use '\(kind.rawValue) profile modify' to change it",
            location)
    }

    static func profileNotDeletable(_ kind: ProfileKind, at location: SourceLocation? = nil) -> ConfigError {
        ConfigError(
            .profileNotDeletable,
            "the built-in \(kind.rawValue) profile 'default' cannot be deleted (it can be modified or unset)", location)
    }

    static func profileInUse(_ kind: ProfileKind, _ name: String, users: [String], at location: SourceLocation? = nil)
        -> ConfigError
    {
        ConfigError(
            .profileInUse, "\(kind.rawValue) profile '\(name)' is still named by \(users.joined(separator: ", "))",
            location)
    }

    static func notAllowedHere(_ message: String, at location: SourceLocation?) -> ConfigError {
        ConfigError(.notAllowedHere, message, location)
    }
}
