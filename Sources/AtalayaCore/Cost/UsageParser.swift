/// Strict validation of POST /api/v1/usage bodies: one JSON object, a JSON
/// array of objects, or NDJSON (one object per line; blank lines skipped).
/// Each bad event gets an error naming the field (and line); the others are kept.
public struct UsageParser: Sendable {
  /// Events time-stamped further in the future than this are rejected.
  public var maxSkew: Duration
  /// Events older than this (the health window) are rejected.
  public var maxAge: Duration

  public static let fields = [
    "provider", "model", "input_tokens", "output_tokens", "cost_usd", "latency_ms", "status", "ts",
  ]

  public init(maxSkew: Duration = .seconds(60), maxAge: Duration) {
    self.maxSkew = maxSkew
    self.maxAge = maxAge
  }

  public func parse(_ body: [UInt8], now: Timestamp) -> UsageBatch {
    var batch = UsageBatch()
    if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      batch.errors.append(
        UsageEventError(message: "empty body; send a JSON object or NDJSON lines"))
      return batch
    }
    if let whole = JSONValue.parse(body) {
      if case .array(let items) = whole {
        if items.isEmpty { batch.errors.append(UsageEventError(message: "empty array")) }
        for (i, item) in items.enumerated() {
          collect(item, line: nil, index: i, now: now, into: &batch)
        }
      } else {
        collect(whole, line: nil, index: nil, now: now, into: &batch)
      }
      return batch
    }
    var lineNumber = 0
    for line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      let trimmed = line.filter { $0 != 0x0D }
      if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      guard let value = JSONValue.parse(trimmed) else {
        batch.errors.append(UsageEventError(line: lineNumber, message: "not valid JSON"))
        continue
      }
      collect(value, line: lineNumber, index: nil, now: now, into: &batch)
    }
    return batch
  }

  private func collect(
    _ value: JSONValue, line: Int?, index: Int?, now: Timestamp, into batch: inout UsageBatch
  ) {
    switch event(value, now: now) {
    case .success(let e): batch.events.append(e)
    case .failure(let f):
      batch.errors.append(
        UsageEventError(line: line, index: index, field: f.field, message: f.message))
    }
  }

  struct FieldError: Error {
    var field: String?
    var message: String
  }

  /// One event, or the first problem found in it.
  func event(_ value: JSONValue, now: Timestamp) -> Result<UsageEvent, FieldError> {
    guard case .object(let members) = value else {
      return .failure(FieldError(message: "expected a JSON object"))
    }
    for m in members where !Self.fields.contains(m.key) {
      let shown = m.key.count <= 64 ? "`\(m.key)`" : "(a long name)"
      return .failure(
        FieldError(
          field: nil,
          message: "unknown field \(shown); known: " + Self.fields.joined(separator: ", ")))
    }
    do {
      let provider = try name(value, "provider", maxLength: 64)
      let model = try name(value, "model", maxLength: 256)
      let input = try tokens(value, "input_tokens")
      let output = try tokens(value, "output_tokens")
      let cost = try number(value, "cost_usd", max: 1e6)
      let latencyMS = try number(value, "latency_ms", max: 3.6e6)
      var result = ResultClass.success
      if let status = value["status"] {
        guard let text = status.stringValue else {
          throw FieldError(field: "status", message: "must be a string")
        }
        if text == "ok" {
          result = .success
        } else if let r = ResultClass(rawValue: text) {
          result = r
        } else {
          throw FieldError(
            field: "status",
            message: "must be `ok` or a result class: "
              + ResultClass.allCases.map(\.rawValue).joined(separator: ", "))
        }
      }
      var at = now
      if let ts = value["ts"] {
        if let text = ts.stringValue {
          guard let t = RFC3339.parse(text) else {
            throw FieldError(
              field: "ts", message: "must be RFC 3339 (2026-01-02T03:04:05Z) or unix seconds")
          }
          at = t
        } else if let n = ts.doubleValue, n.isFinite, n > 0 {
          at = Timestamp(seconds: n)
        } else {
          throw FieldError(
            field: "ts", message: "must be RFC 3339 (2026-01-02T03:04:05Z) or unix seconds")
        }
        if at > now + maxSkew {
          throw FieldError(
            field: "ts",
            message:
              "is \(Int(saturating: (at - now).seconds)) s in the future (allowed skew \(formatDuration(maxSkew)))"
          )
        }
        if at < now - maxAge {
          throw FieldError(
            field: "ts", message: "is older than the window (\(formatDuration(maxAge)))")
        }
      }
      return .success(
        UsageEvent(
          provider: provider, model: model, inputTokens: input, outputTokens: output,
          costUSD: cost, latency: latencyMS.map { $0 / 1000 }, result: result, at: at))
    } catch let e as FieldError {
      return .failure(e)
    } catch {
      return .failure(FieldError(message: "invalid event"))
    }
  }

  private func name(_ v: JSONValue, _ key: String, maxLength: Int) throws -> String {
    guard let field = v[key] else { throw FieldError(field: key, message: "is required") }
    guard let text = field.stringValue else {
      throw FieldError(field: key, message: "must be a string")
    }
    guard !text.isEmpty, text.count <= maxLength else {
      throw FieldError(field: key, message: "must be 1 to \(maxLength) characters")
    }
    guard
      !text.unicodeScalars.contains(where: {
        $0.properties.generalCategory == .control || $0 == "\"" || $0 == "\\"
      })
    else {
      throw FieldError(
        field: key, message: "must not contain control characters, quotes or backslashes")
    }
    return text
  }

  private func tokens(_ v: JSONValue, _ key: String) throws -> Int {
    guard let field = v[key] else { throw FieldError(field: key, message: "is required") }
    guard let n = field.intValue, n >= 0, n <= 1_000_000_000 else {
      throw FieldError(field: key, message: "must be a whole number from 0 to 1000000000")
    }
    return n
  }

  private func number(_ v: JSONValue, _ key: String, max: Double) throws -> Double? {
    guard let field = v[key] else { return nil }
    if case .null = field { return nil }
    guard let n = field.doubleValue, n.isFinite, n >= 0, n <= max else {
      throw FieldError(field: key, message: "must be a number from 0 to \(Int(max))")
    }
    return n
  }
}
