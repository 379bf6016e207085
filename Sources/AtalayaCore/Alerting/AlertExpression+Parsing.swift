/// Why an alert expression could not be parsed, and where.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The 0-based offset, in Unicode scalars, of the problem within the expression text.
  public var offset: Int
  public var message: String

  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  public var description: String { "at offset \(offset): \(message)" }
}

extension AlertExpression {
  /// Parses `SIGNAL OP VALUE`, e.g. `error_rate > 5%`, `latency_p95 >= 1.5s`,
  /// `budget_remaining_usd < $10`, `provider_down == 1`.
  ///
  /// Values are numbers, percentages (`5%` → 0.05), durations (`500ms`, `5s` → seconds;
  /// for hour signals `90m` → 1.5) and dollars (`$10`, `$0.50`). The unit must fit the
  /// signal (see ``SignalUnit``); a bare number is accepted for every signal.
  public static func parse(_ text: String) -> Result<AlertExpression, ExpressionError> {
    var scanner = ExpressionScanner(text)
    do {
      let expression = try scanner.expression()
      return .success(expression)
    } catch {
      return .failure(error)
    }
  }
}

/// A hand-written scanner over the expression's Unicode scalars.
private struct ExpressionScanner {
  let text: String
  let chars: [Unicode.Scalar]
  var i = 0

  init(_ text: String) {
    self.text = text
    chars = Array(text.unicodeScalars)
  }

  static let operators = ComparisonOperator.allCases.map(\.rawValue).joined(separator: " ")
  static let signals = AlertSignal.allCases.map(\.rawValue)

  mutating func expression() throws(ExpressionError) -> AlertExpression {
    let first = try condition()
    var conjuncts: [AlertCondition] = []
    while true {
      skipSpaces()
      guard i < chars.count else { break }
      let wordStart = i
      let joiner = word()
      guard joiner == "and" else {
        i = wordStart
        throw ExpressionError(
          offset: wordStart,
          message: "unexpected `\(rest(from: wordStart, max: 12))` after the value; "
            + "an expression is SIGNAL OP VALUE, e.g. \(example(first.signal)), "
            + "optionally followed by `and SIGNAL OP VALUE`")
      }
      skipSpaces()
      guard i < chars.count else {
        throw ExpressionError(
          offset: i, message: "expected SIGNAL OP VALUE after `and`, e.g. \(example(first.signal))")
      }
      let next = try condition()
      if next.signal.seriesLabels != first.signal.seriesLabels {
        throw ExpressionError(
          offset: wordStart,
          message: "`and` joins series by their labels: `\(next.signal.rawValue)` has "
            + "\(next.signal.seriesLabels.joined(separator: ", ")), `\(first.signal.rawValue)` has "
            + first.signal.seriesLabels.joined(separator: ", "))
      }
      conjuncts.append(next)
    }
    return AlertExpression(
      signal: first.signal, op: first.op, value: first.value, text: text, conjuncts: conjuncts)
  }

  /// One `SIGNAL OP VALUE`.
  mutating func condition() throws(ExpressionError) -> AlertCondition {
    skipSpaces()
    guard i < chars.count else {
      throw ExpressionError(
        offset: i, message: "expected an expression SIGNAL OP VALUE, e.g. `error_rate > 5%`")
    }
    let signalStart = i
    let name = word()
    guard !name.isEmpty else {
      throw ExpressionError(
        offset: i, message: "expected a signal name, got `\(rest(from: i, max: 12))`")
    }
    guard let signal = AlertSignal(rawValue: name) else {
      var message = "unknown signal `\(name)`"
      if let suggestion = KeySuggestion.closest(to: name, in: Self.signals) {
        message += " (did you mean `\(suggestion)`?)"
      }
      throw ExpressionError(
        offset: signalStart,
        message: message + "; known signals: " + Self.signals.joined(separator: ", "))
    }
    skipSpaces()
    let op = try comparison(after: name)
    skipSpaces()
    guard i < chars.count else {
      throw ExpressionError(
        offset: i, message: "expected a value after `\(op.rawValue)`, e.g. \(example(signal))")
    }
    let valueStart = i
    while i < chars.count, !chars[i].properties.isWhitespace { i += 1 }
    let token = String(String.UnicodeScalarView(chars[valueStart..<i]))
    let value = try self.value(token, at: valueStart, for: signal)
    return AlertCondition(signal: signal, op: op, value: value)
  }

  mutating func comparison(after name: String) throws(ExpressionError) -> ComparisonOperator {
    let start = i
    var symbol = ""
    while i < chars.count, "<>=!".unicodeScalars.contains(chars[i]) {
      symbol.unicodeScalars.append(chars[i])
      i += 1
    }
    if let op = ComparisonOperator(rawValue: symbol) { return op }
    if symbol.isEmpty {
      let found = i < chars.count ? "`\(rest(from: i, max: 12))`" : "the end"
      throw ExpressionError(
        offset: start,
        message: "expected an operator (\(Self.operators)) after `\(name)`, got \(found)")
    }
    let hint =
      symbol == "=" ? "; did you mean `==`?" : (symbol == "=>" ? "; did you mean `>=`?" : "")
    throw ExpressionError(
      offset: start,
      message: "unknown operator `\(symbol)`\(hint); expected one of \(Self.operators)")
  }

  /// The threshold in the signal's base unit.
  func value(_ token: String, at offset: Int, for signal: AlertSignal) throws(ExpressionError)
    -> Double
  {
    let unit = signal.unit
    func misfit(_ what: String) -> ExpressionError {
      ExpressionError(
        offset: offset,
        message: "\(what) `\(token)` does not fit `\(signal.rawValue)` "
          + "(\(unit.rawValue)); write \(unit.syntax)")
    }
    let invalid = ExpressionError(
      offset: offset,
      message: "invalid value `\(token)`; expected a number (0.5), a percentage (5%), "
        + "a duration (500ms, 5s) or dollars ($10)")
    if token.hasPrefix("$") {
      guard let amount = Self.number(String(token.dropFirst())), amount >= 0 else { throw invalid }
      guard unit == .usd else { throw misfit("a dollar amount") }
      return amount
    }
    if token.hasSuffix("%") {
      guard let percent = Self.number(String(token.dropLast())) else { throw invalid }
      guard unit == .ratio else { throw misfit("a percentage") }
      return percent / 100
    }
    if let number = Self.number(token) { return number }
    if let last = token.unicodeScalars.last, last.properties.isAlphabetic {
      guard let duration = parseDuration(token) else {
        throw ExpressionError(
          offset: offset,
          message: "invalid value `\(token)`; durations use ms, s, m or h (e.g. 500ms, 5s, 2m)")
      }
      switch unit {
      case .seconds: return duration.seconds
      case .hours: return duration.seconds / 3600
      default: throw misfit("a duration")
      }
    }
    throw invalid
  }

  /// `[-]DIGITS[.DIGITS]` as a finite Double; nil otherwise (no exponents, no `inf`).
  static func number(_ text: String) -> Double? {
    var body = Substring(text)
    if body.hasPrefix("-") { body = body.dropFirst() }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count),
      parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0 >= "0" && $0 <= "9" } })
    else { return nil }
    // Thresholds beyond ±1e15 mean nothing for any signal (ratios, seconds, dollars,
    // counts) and would overflow when shown as a duration.
    guard let value = Double(text), value.isFinite, abs(value) <= 1e15 else { return nil }
    return value
  }

  func example(_ signal: AlertSignal) -> String {
    let value =
      switch signal.unit {
      case .ratio: "5%"
      case .seconds: "5s"
      case .usd: "$10"
      case .hours: "24h"
      case .count: "3"
      case .boolean: "1"
      }
    let op = signal.unit == .boolean ? "==" : ">"
    return "`\(signal.rawValue) \(op) \(value)`"
  }

  mutating func skipSpaces() {
    while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
  }

  mutating func word() -> String {
    var name = ""
    while i < chars.count {
      let c = chars[i]
      guard (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
      else { break }
      name.unicodeScalars.append(c)
      i += 1
    }
    return name
  }

  func rest(from start: Int, max: Int) -> String {
    let end = min(chars.count, start + max)
    let piece = String(String.UnicodeScalarView(chars[start..<end]))
    return end < chars.count ? piece + "…" : piece
  }
}
