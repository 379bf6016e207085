/// Walks a composed YAML tree, collecting every problem instead of stopping at
/// the first. One decoder decodes one document; it is not shared.
final class ConfigDecoder {
  let file: String
  let environment: [String: String]
  /// Where key files and credentials are read from.
  let files: any ConfigFileReader
  /// Directory that relative `api_key_file` paths are resolved against.
  let baseDirectory: String
  private(set) var errors: [ConfigError] = []
  /// The document's lines, for positions inside `|` block scalars.
  var sourceLines: [Substring] = []
  /// Secret values met while decoding (even invalid ones), removed from every message.
  private(set) var secretValues: [String] = []

  init(file: String, environment: [String: String], files: any ConfigFileReader) {
    self.file = file
    self.environment = environment
    self.files = files
    if let slash = file.lastIndex(of: "/") {
      baseDirectory = slash == file.startIndex ? "/" : String(file[..<slash])
    } else {
      baseDirectory = "."
    }
  }

  // MARK: Errors

  func fail(_ path: String, at node: Node?, _ message: String) {
    let mark = node?.mark
    errors.append(
      ConfigError(
        file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: path,
        message: message))
  }

  func fail(_ path: String, line: Int, column: Int, _ message: String) {
    errors.append(
      ConfigError(file: file, line: line, column: column, keyPath: path, message: message))
  }

  func rememberSecret(_ value: String) {
    secretValues.append(value)
  }

  /// The errors, sorted by position, with every secret removed.
  func finishedErrors() -> [ConfigError] {
    let redactor = Redactor(secrets: secretValues.map(Secret.init))
    let clean = { (text: String) in Redactor.scrubCommonPatterns(redactor.redact(text)) }
    return errors.enumerated()
      .sorted { a, b in
        (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
      }
      .map { _, error in
        var error = error
        error.keyPath = clean(error.keyPath)
        error.message = clean(error.message)
        return error
      }
  }

  // MARK: Paths and shown values

  static func child(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
  }
  static func element(_ path: String, _ index: Int) -> String { path + "[\(index)]" }

  /// ` \`value\`` for the value of `node` when it is safe to show in a message, else "".
  /// Values taken from the environment are never shown: they may be secrets.
  static func shown(_ value: String, of node: Node) -> String {
    if case .scalar(let scalar) = node, scalar.string.contains("$") { return "" }
    return shown(value)
  }

  /// `, got \`value\`` when the value may be shown, else "".
  static func got(_ value: String, of node: Node) -> String {
    let text = shown(value, of: node)
    return text.isEmpty ? "" : ", got" + text
  }

  /// ` \`value\`` for a value that is safe and short enough to show in a message, else "".
  static func shown(_ value: String) -> String {
    let safe =
      value.count <= 64 && Redactor.scrubCommonPatterns(value) == value
      && !value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    return safe ? " `\(value)`" : ""
  }

  static func kindName(_ node: Node) -> String {
    switch node {
    case .scalar: "a scalar"
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
  }

  static func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
      return false
    }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  // MARK: Mappings

  /// A mapping's entries by key, after checking that the node is a mapping and
  /// that every key is known. Null values count as absent.
  struct Entries {
    let path: String
    let node: Node
    var values: [String: (key: Node, value: Node)] = [:]

    func value(_ key: String) -> Node? { values[key]?.value }
    func keyNode(_ key: String) -> Node? { values[key]?.key }
    func has(_ key: String) -> Bool { values[key] != nil }
    func path(_ key: String) -> String { ConfigDecoder.child(path, key) }
  }

  /// Special advice for keys people are likely to try.
  static let keyHints: [String: String] = [
    "max_completion_tokens":
      "use `max_tokens`; the prober picks the request field the provider wants",
    "apikey": "did you mean `api_key`?",
    "url": "did you mean `base_url`?",
    "endpoint": "did you mean `base_url`?",
    "models": "list checks under `checks`; a `kind: models` check lists the models",
  ]

  func entries(_ node: Node, path: String, known: [String], what: String) -> Entries? {
    guard case .mapping(let mapping) = node else {
      fail(path, at: node, "expected \(what) (a mapping), got \(Self.kindName(node))")
      return nil
    }
    var entries = Entries(path: path, node: node)
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        fail(path, at: key, "keys must be plain strings, got \(Self.kindName(key))")
        continue
      }
      let name = keyScalar.string
      guard known.contains(name) else {
        var message = "unknown key `\(name)`"
        if let hint = Self.keyHints[name] {
          message += "; \(hint)"
        } else if let suggestion = KeySuggestion.closest(to: name, in: known) {
          message += "; did you mean `\(suggestion)`?"
        } else {
          message += "; known keys: " + known.joined(separator: ", ")
        }
        fail(Self.child(path, name), at: key, message)
        continue
      }
      if Self.isNull(value) { continue }
      entries.values[name] = (key, value)
    }
    return entries
  }

  /// Reports a required key that is missing, at the mapping that lacks it.
  func requireKey(_ key: String, in entries: Entries, _ message: String? = nil) {
    fail(entries.path(key), at: entries.node, message ?? "`\(key)` is required")
  }

  // MARK: Scalars

  /// A scalar's text with `${VAR}` interpolated; nil (and an error) for a non-scalar.
  func string(_ node: Node, path: String, secret: Bool = false) -> String? {
    guard case .scalar(let scalar) = node else {
      fail(path, at: node, "expected a \(secret ? "string" : "value"), got \(Self.kindName(node))")
      return nil
    }
    guard let text = interpolate(scalar.string, node: node, path: path) else { return nil }
    if secret { rememberSecret(text) }
    return text
  }

  func nonEmptyString(_ node: Node, path: String) -> String? {
    guard let text = string(node, path: path) else { return nil }
    guard !text.isEmpty else {
      fail(path, at: node, "must not be empty")
      return nil
    }
    return text
  }

  func int(_ node: Node, path: String, range: ClosedRange<Int>) -> Int? {
    guard let text = string(node, path: path) else { return nil }
    var digits = Substring(text)
    if digits.hasPrefix("+") { digits = digits.dropFirst() }
    guard let value = Int(digits) else {
      fail(path, at: node, "expected a whole number\(Self.got(text, of: node))")
      return nil
    }
    guard range.contains(value) else {
      fail(
        path, at: node,
        "\(value) is out of range; allowed: \(range.lowerBound)...\(range.upperBound)")
      return nil
    }
    return value
  }

  func bool(_ node: Node, path: String) -> Bool? {
    guard let text = string(node, path: path) else { return nil }
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default:
      fail(path, at: node, "expected true or false\(Self.got(text, of: node))")
      return nil
    }
  }

  func duration(_ node: Node, path: String, range: ClosedRange<Duration>) -> Duration? {
    guard let text = string(node, path: path) else { return nil }
    guard let value = parseDuration(text) else {
      if Double(text) != nil {
        let example = Self.shown(text, of: node).isEmpty ? "30s" : text + "s"
        fail(path, at: node, "a duration needs a unit: add one, e.g. \(example) (ms, s, m, h)")
      } else if Self.isDurationSyntax(text) {
        fail(
          path, at: node,
          "the duration\(Self.shown(text, of: node)) is out of range; allowed: "
            + "\(formatDuration(range.lowerBound))...\(formatDuration(range.upperBound))")
      } else {
        fail(
          path, at: node,
          "invalid duration\(Self.shown(text, of: node)); expected e.g. 250ms, 30s, 10m, 1h30m")
      }
      return nil
    }
    guard range.contains(value) else {
      fail(
        path, at: node,
        "\(formatDuration(value)) is out of range; allowed: "
          + "\(formatDuration(range.lowerBound))...\(formatDuration(range.upperBound))")
      return nil
    }
    return value
  }

  /// Whether `text` is written like a duration (numbers with ms/s/m/h units), so
  /// that a failed parse means it is too large, not misspelt.
  static func isDurationSyntax(_ text: String) -> Bool {
    var rest = Substring(text)
    guard !rest.isEmpty else { return false }
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard !number.isEmpty, number.contains(where: \.isNumber) else { return false }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
      guard ["ms", "s", "m", "h", "d"].contains(unit) else { return false }
      rest = rest.dropFirst(unit.count)
    }
    return true
  }

  /// The raw value of an enum-like key, checked against `cases`, with a suggestion.
  func choice<T: RawRepresentable>(_ node: Node, path: String, what: String, cases: [T]) -> T?
  where T.RawValue == String {
    guard let text = string(node, path: path) else { return nil }
    if let value = T(rawValue: text) { return value }
    let names = cases.map(\.rawValue)
    var message = "unknown \(what)\(Self.shown(text, of: node))"
    if let suggestion = KeySuggestion.closest(to: text, in: names) {
      message += " (did you mean `\(suggestion)`?)"
    }
    fail(path, at: node, message + "; expected one of: " + names.joined(separator: ", "))
    return nil
  }

  /// Whether `root`, with every alias expanded, has at most ``ConfigLimits/maxNodes``
  /// nodes. Stops counting at the limit, so the check itself is bounded.
  static func fitsNodeLimit(_ root: Node) -> Bool {
    var stack = [root]
    var count = 0
    while let node = stack.popLast() {
      count += 1
      if count > ConfigLimits.maxNodes { return false }
      switch node {
      case .scalar, .alias: break
      case .sequence(let s): stack.append(contentsOf: s)
      case .mapping(let m):
        for (k, v) in m {
          stack.append(k)
          stack.append(v)
        }
      }
    }
    return true
  }

  /// A list's elements; nil (and an error) for a non-list.
  func list(_ node: Node, path: String, what: String) -> [Node]? {
    guard case .sequence(let sequence) = node else {
      fail(path, at: node, "expected a list of \(what), got \(Self.kindName(node))")
      return nil
    }
    let limit = ConfigLimits.maxListItems[what] ?? ConfigLimits.maxOtherListItems
    guard sequence.count <= limit else {
      fail(path, at: node, "at most \(limit) \(what) are allowed, got \(sequence.count)")
      return nil
    }
    return Array(sequence)
  }
}
