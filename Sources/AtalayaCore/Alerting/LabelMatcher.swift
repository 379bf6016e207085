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
      if let problem = Self.costProblem(value) {
        throw Problem(message: "regular expression \"\(value)\": \(problem)")
      }
      if let words = CompiledPattern.literalAlternatives(value) {
        pattern = CompiledPattern(words: words)
        return
      }
      do {
        pattern = CompiledPattern(try Regex(value))
      } catch {
        throw Problem(message: "invalid regular expression \"\(value)\": \(error)")
      }
    }
  }

  /// Why matching `pattern` could take more than linear-ish time on a backtracking
  /// engine, or nil. Alertmanager's RE2 has no backreferences or lookarounds and runs in
  /// linear time; Swift's `Regex` backtracks, so the constructs that make backtracking
  /// explode are refused: backreferences, lookarounds, and an unboundedly repeated group
  /// that itself contains an unbounded repeat or an alternation (`(a+)*`, `(.*x)+`,
  /// `(a|aa)*`).
  static func costProblem(_ pattern: String) -> String? {
    let chars = Array(pattern.unicodeScalars)
    // Per open group: whether it contains an unbounded repeat, and an alternation.
    var groups: [Bool] = [false]
    var alternations: [Bool] = [false]
    var i = 0
    func unboundedRepeat(at j: Int) -> Bool {
      guard j < chars.count else { return false }
      if chars[j] == "*" || chars[j] == "+" { return true }
      guard chars[j] == "{" else { return false }
      var k = j + 1
      while k < chars.count, chars[k] != "}" { k += 1 }
      guard k < chars.count else { return false }
      let body = String(String.UnicodeScalarView(chars[(j + 1)..<k]))
      return body.hasSuffix(",")
    }
    while i < chars.count {
      let c = chars[i]
      switch c {
      case "\\":
        guard i + 1 < chars.count else { return nil }
        let next = chars[i + 1]
        if ("1"..."9").contains(next) || next == "k" || next == "g" {
          return "backreferences are not supported (Alertmanager's RE2 has none either)"
        }
        i += 2
        if unboundedRepeat(at: i) { groups[groups.count - 1] = true }
        continue
      case "[":
        // A character class: skip to its closing bracket.
        var k = i + 1
        if k < chars.count, chars[k] == "^" { k += 1 }
        if k < chars.count, chars[k] == "]" { k += 1 }
        while k < chars.count, chars[k] != "]" { k += chars[k] == "\\" ? 2 : 1 }
        i = k + 1
        if unboundedRepeat(at: i) { groups[groups.count - 1] = true }
        continue
      case "(":
        if i + 2 < chars.count, chars[i + 1] == "?",
          chars[i + 2] == "=" || chars[i + 2] == "!"
            || (chars[i + 2] == "<" && i + 3 < chars.count
              && (chars[i + 3] == "=" || chars[i + 3] == "!"))
        {
          return "lookarounds are not supported (Alertmanager's RE2 has none either)"
        }
        groups.append(false)
        alternations.append(false)
      case "|":
        alternations[alternations.count - 1] = true
      case ")":
        let inner = groups.count > 1 ? groups.removeLast() : false
        let alternation = alternations.count > 1 ? alternations.removeLast() : false
        if unboundedRepeat(at: i + 1) {
          if inner || alternation {
            return
              "a repeated group that contains a repeat or an alternation, such as (a+)* or "
              + "(a|aa)*, can take exponential time to match; write it without the outer repeat"
          }
          groups[groups.count - 1] = true
        } else if inner {
          groups[groups.count - 1] = true
        }
      default:
        if unboundedRepeat(at: i + 1), c != "*", c != "+", c != "}" {
          groups[groups.count - 1] = true
        }
      }
      i += 1
    }
    return nil
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
/// marked Sendable; a compiled one is only ever read). A pattern that is only literal
/// words joined by `|` (`LLMHighErrorRate|LLMHighLatency`, the usual alert-name and
/// provider matchers) is matched as a set of words, without the regex engine.
final class CompiledPattern: @unchecked Sendable {
  private let regex: Regex<AnyRegexOutput>?
  private let words: Set<String>

  init(_ regex: Regex<AnyRegexOutput>) {
    self.regex = regex
    words = []
  }

  init(words: Set<String>) {
    regex = nil
    self.words = words
  }

  func wholeMatches(_ text: String) -> Bool {
    guard let regex else { return words.contains(text) }
    return (try? regex.wholeMatch(in: text)) != nil
  }

  /// The words of a pattern made only of letters, digits, `_`, `-`, `:` and `/` between
  /// `|`s (none of them special in a regular expression there), else nil.
  static func literalAlternatives(_ pattern: String) -> Set<String>? {
    let literal = pattern.unicodeScalars.allSatisfy { c in
      c == "|" || c == "_" || c == "-" || c == ":" || c == "/" || ("a"..."z").contains(c)
        || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }
    guard literal else { return nil }
    return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
  }
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
