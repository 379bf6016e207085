/// One problem found in a config file, with where it is.
///
/// `line` and `column` are 1-based; `line == 0` means the problem concerns the
/// whole file (missing, unreadable, empty). The message never contains a
/// secret value.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The config file's path (or the name given to ``ConfigLoader/parse(yaml:file:environment:)``).
  public var file: String
  public var line: Int
  public var column: Int
  /// Where in the document, e.g. `providers[1].checks[0].slow`; empty for file-level and syntax errors.
  public var keyPath: String
  public var message: String

  public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.message = message
  }

  /// `FILE:LINE:COL: KEYPATH: message`; the position is left out for file-level
  /// errors (`line == 0`) and the key path when it is empty.
  public var description: String {
    var text = file
    if line > 0 { text += ":\(line):\(column)" }
    if !keyPath.isEmpty { text += ": \(keyPath)" }
    return text + ": " + message
  }
}

/// Every problem found in a config file, in document order.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
  public var errors: [ConfigError]

  public init(errors: [ConfigError]) { self.errors = errors }

  /// One error per line.
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
