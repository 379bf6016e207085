/// One label matcher of a silence, as Alertmanager writes them: `name="value"`,
/// `name!="value"`, `name=~"regex"`, `name!~"regex"`. Regular expressions are anchored
/// (they must match the whole value), and a missing label is the empty string, as in
/// Alertmanager.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
  /// The comparison.
  public enum Operator: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case matches = "=~"
    case notMatches = "!~"
  }

  /// Why a matcher cannot be used.
  public struct Problem: Error, Sendable, Equatable {
    public var message: String
  }

  public let name: String
  public let op: Operator
  public let value: String
  /// The compiled, anchored expression (`=~`, `!~`).
  let pattern: CompiledPattern?

  /// A matcher; throws when `op` is a regex operator and `value` is not a valid expression.
  public init(name: String, op: Operator, value: String) throws(Problem) {
    self.name = name
    self.op = op
    self.value = value
    switch op {
    case .equal, .notEqual: pattern = nil
    case .matches, .notMatches:
      do {
        pattern = CompiledPattern(try Regex(value))
      } catch {
        throw Problem(message: "invalid regular expression \"\(value)\": \(error)")
      }
    }
  }

  /// Parses `name OP "value"` (the value quoted, with `\"` and `\\` escapes, or bare).
  public static func parse(_ text: String) throws(Problem) -> LabelMatcher {
    let chars = Array(text)
    var i = 0
    while i < chars.count, chars[i] == "_" || chars[i].isLetter || chars[i].isNumber { i += 1 }
    let name = String(chars[0..<i]).trimmingSpaces
    guard !name.isEmpty else {
      throw Problem(message: "expected `name=\"value\"` (or !=, =~, !~), got \"\(text)\"")
    }
    while i < chars.count, chars[i] == " " { i += 1 }
    let rest = String(chars[i...])
    guard
      let op = [Operator.matches, .notMatches, .notEqual, .equal].first(where: {
        rest.hasPrefix($0.rawValue)
      })
    else {
      throw Problem(message: "expected =, !=, =~ or !~ after `\(name)` in \"\(text)\"")
    }
    var raw = String(rest.dropFirst(op.rawValue.count)).trimmingSpaces
    if raw.hasPrefix("\"") {
      guard raw.count >= 2, raw.hasSuffix("\"") else {
        throw Problem(message: "unterminated quoted value in \"\(text)\"")
      }
      raw = String(raw.dropFirst().dropLast())
      var unescaped = ""
      var escaping = false
      for c in raw {
        if escaping {
          unescaped.append(c == "n" ? "\n" : c)
          escaping = false
        } else if c == "\\" {
          escaping = true
        } else {
          unescaped.append(c)
        }
      }
      raw = unescaped
    }
    return try LabelMatcher(name: name, op: op, value: raw)
  }

  /// Whether `labels` satisfy this matcher (a missing label counts as "").
  public func matches(_ labels: [String: String]) -> Bool {
    let actual = labels[name] ?? ""
    switch op {
    case .equal: return actual == value
    case .notEqual: return actual != value
    case .matches: return pattern?.wholeMatches(actual) ?? false
    case .notMatches: return !(pattern?.wholeMatches(actual) ?? false)
    }
  }

  /// Whether this matcher holds for a label set without the label (Alertmanager refuses
  /// silences whose every matcher does: they would mute everything).
  public var matchesEmpty: Bool { matches([:]) }

  public var description: String {
    var escaped = ""
    for c in value {
      if c == "\"" || c == "\\" { escaped.append("\\") }
      escaped.append(c)
    }
    return "\(name)\(op.rawValue)\"\(escaped)\""
  }

  public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
    lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
  }
}

/// An immutable compiled regular expression, shared across threads (Regex itself is not
/// marked Sendable; a compiled one is only ever read).
final class CompiledPattern: @unchecked Sendable {
  private let regex: Regex<AnyRegexOutput>

  init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }

  func wholeMatches(_ text: String) -> Bool { (try? regex.wholeMatch(in: text)) != nil }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" { s.removeLast() }
    return String(s)
  }
}
