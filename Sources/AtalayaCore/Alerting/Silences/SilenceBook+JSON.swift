/// The silences API's JSON (Alertmanager v2's shapes) and `silences.json`.
extension SilenceBook {
  /// The `format` marker and `version` of `silences.json`.
  public static let stateFormat = "atalaya-silences"
  public static let stateVersion = 1

  /// Limits on one request, so a body cannot make a silence of unbounded size.
  public static let maxMatchers = 64
  public static let maxValueLength = 1024
  public static let maxCommentLength = 4096
  public static let maxCreatedByLength = 256
  /// The most bytes of matcher values one silence may have.
  public static let maxMatcherBytes = 4096
  /// The longest a silence may last (ten years).
  public static let maxDuration: Duration = .seconds(3650 * 86400)

  /// `silences.json`: every record, in creation order.
  public func stateJSON() -> [UInt8] {
    let json = JSONValue.members([
      ("format", .string(Self.stateFormat)), ("version", .number(Double(Self.stateVersion))),
      ("silences", .array(records.map { Self.recordJSON($0, at: nil) })),
    ])
    return Array((json.encoded + "\n").utf8)
  }

  /// Reads `silences.json` (``stateJSON()``). A record that is not one (or repeats an id)
  /// is skipped and named in `skipped`, so one bad entry does not cost every silence.
  public static func decodeState(_ json: JSONValue) throws(Refusal) -> SilenceBookLoad {
    guard let items = json["silences"]?.arrayValue else {
      throw .invalid("`silences` is missing or not a list")
    }
    var records: [SilenceRecord] = []
    var skipped: [String] = []
    for (index, item) in items.enumerated() {
      do throws(Refusal) {
        let request = try SilenceRequest.parse(item, at: nil)
        guard let id = item["id"]?.stringValue, !id.isEmpty,
          let starts = request.startsAt, case .at(let ends) = request.end,
          let updated = item["updatedAt"]?.stringValue.flatMap(RFC3339.parse)
        else { throw .invalid("id, startsAt, endsAt and updatedAt are required") }
        guard !records.contains(where: { $0.id == id }) else {
          throw .invalid("the id \(id) is used twice")
        }
        guard records.count < 2 * capacity else {
          throw .invalid("more than \(2 * capacity) silences")
        }
        records.append(
          SilenceRecord(
            id: id, matchers: request.matchers, startsAt: starts, endsAt: ends,
            createdBy: request.createdBy, comment: request.comment, updatedAt: updated))
      } catch {
        skipped.append("silence \(index): \(error.message)")
      }
    }
    return SilenceBookLoad(book: SilenceBook(records: records), skipped: skipped)
  }

  /// GET /api/v1/silences: every silence, newest first (as amtool lists them).
  public func listJSON(at now: Timestamp) -> JSONValue {
    .array(records.reversed().map { Self.recordJSON($0, at: now) })
  }

  /// One silence as Alertmanager's API writes it; `status` only with a time.
  public static func recordJSON(_ r: SilenceRecord, at now: Timestamp?) -> JSONValue {
    var members: [(String, JSONValue)] = [("id", .string(r.id))]
    if let now {
      members.append(("status", .members([("state", .string(r.state(at: now).rawValue))])))
    }
    members += [
      ("matchers", .array(r.matchers.map(matcherJSON))),
      ("startsAt", .string(RFC3339.format(r.startsAt))),
      ("endsAt", .string(RFC3339.format(r.endsAt))),
      ("updatedAt", .string(RFC3339.format(r.updatedAt))),
      ("createdBy", .string(r.createdBy)),
      ("comment", .string(r.comment)),
    ]
    return .members(members)
  }

  /// `{name, value, isRegex, isEqual}`.
  public static func matcherJSON(_ m: LabelMatcher) -> JSONValue {
    .members([
      ("name", .string(m.name)), ("value", .string(m.value)),
      ("isRegex", .bool(m.op == .matches || m.op == .notMatches)),
      ("isEqual", .bool(m.op == .equal || m.op == .matches)),
    ])
  }
}

/// `silences.json` as read: the book, and the records that could not be used.
public struct SilenceBookLoad: Sendable {
  public var book: SilenceBook
  /// One line per record skipped (its index and why).
  public var skipped: [String]
}

extension SilenceRequest {
  /// Parses a POST body: `matchers` (`[{name, value, isRegex, isEqual}]`), `startsAt`
  /// (default now), `endsAt` or `duration` (`2h`), `createdBy`, `comment`, and `id` to
  /// update. `now` nil reads a state file (no `duration`, no "now").
  public static func parse(_ json: JSONValue, at now: Timestamp?) throws(SilenceBook.Refusal)
    -> SilenceRequest
  {
    guard json.isObject else { throw .invalid("expected a JSON object") }
    let known: Set<String> = [
      "id", "matchers", "startsAt", "endsAt", "duration", "createdBy", "comment", "status",
      "updatedAt",
    ]
    if case .object(let members) = json,
      let unknown = members.first(where: { !known.contains($0.key) })
    {
      throw .invalid(
        "unknown field `\(String(unknown.key.prefix(40)))`; known: matchers, startsAt, endsAt, "
          + "duration, createdBy, comment, id")
    }
    var id: String?
    if let v = json["id"], v != .null {
      guard let text = v.stringValue, text.count <= 64 else {
        throw .invalid("`id` must be a silence id")
      }
      if !text.isEmpty { id = text }
    }
    let matchers = try parseMatchers(json["matchers"])
    let startsAt = try time(json["startsAt"], "startsAt")
    let end: End
    switch (try time(json["endsAt"], "endsAt"), json["duration"]) {
    case (let t?, nil), (let t?, .null?):
      end = .at(t)
    case (nil, let d?) where d != .null && now != nil:
      guard let text = d.stringValue, let duration = parseDuration(text), duration > .zero,
        duration <= SilenceBook.maxDuration
      else {
        throw .invalid("`duration` must be a duration such as 2h or 30m, at most 3650d")
      }
      end = .after(duration)
    case (_?, _?):
      throw .invalid("give `endsAt` or `duration`, not both")
    default:
      throw .invalid(now == nil ? "`endsAt` is required" : "`endsAt` or `duration` is required")
    }
    let createdBy = try text(json["createdBy"], "createdBy", max: SilenceBook.maxCreatedByLength)
    let comment = try text(json["comment"], "comment", max: SilenceBook.maxCommentLength)
    return SilenceRequest(
      id: id, matchers: matchers, startsAt: startsAt, end: end, createdBy: createdBy,
      comment: comment)
  }

  static func parseMatchers(_ value: JSONValue?) throws(SilenceBook.Refusal) -> [LabelMatcher] {
    guard let items = value?.arrayValue, !items.isEmpty else {
      throw .invalid("`matchers` must be a non-empty list of {name, value, isRegex, isEqual}")
    }
    guard items.count <= SilenceBook.maxMatchers else {
      throw .invalid("at most \(SilenceBook.maxMatchers) matchers")
    }
    var result: [LabelMatcher] = []
    for (index, item) in items.enumerated() {
      guard let name = item["name"]?.stringValue, ConfigDecoder.isLabelName(name) else {
        throw .invalid("matchers[\(index)]: `name` must be a label name such as provider")
      }
      guard let value = item["value"]?.stringValue, value.utf8.count <= SilenceBook.maxValueLength
      else {
        throw .invalid(
          "matchers[\(index)]: `value` must be a string of at most "
            + "\(SilenceBook.maxValueLength) bytes")
      }
      func flag(_ key: String, _ absent: Bool) throws(SilenceBook.Refusal) -> Bool {
        guard let v = item[key], v != .null else { return absent }
        guard let b = v.boolValue else {
          throw .invalid("matchers[\(index)]: `\(key)` must be true or false")
        }
        return b
      }
      let isRegex = try flag("isRegex", false)
      let isEqual = try flag("isEqual", true)
      let op: LabelMatcher.Operator =
        switch (isRegex, isEqual) {
        case (false, true): .equal
        case (false, false): .notEqual
        case (true, true): .matches
        case (true, false): .notMatches
        }
      do {
        result.append(try LabelMatcher(name: name, op: op, value: value))
      } catch {
        throw .invalid("matchers[\(index)]: \(error.message)")
      }
    }
    guard result.reduce(0, { $0 + $1.value.utf8.count }) <= SilenceBook.maxMatcherBytes else {
      throw .invalid(
        "the matchers' values add up to more than \(SilenceBook.maxMatcherBytes) bytes")
    }
    guard !result.allSatisfy(\.matchesEmpty) else {
      throw .invalid(
        "a silence needs at least one matcher that an empty label fails "
          + "(these would mute every alert)")
    }
    return result
  }

  static func time(_ value: JSONValue?, _ key: String) throws(SilenceBook.Refusal) -> Timestamp? {
    guard let value, value != .null else { return nil }
    guard let text = value.stringValue, let t = RFC3339.parse(text) else {
      throw .invalid("`\(key)` must be an RFC 3339 time such as 2026-12-01T00:00:00Z")
    }
    return t
  }

  static func text(_ value: JSONValue?, _ key: String, max: Int) throws(SilenceBook.Refusal)
    -> String
  {
    guard let text = value?.stringValue, !text.allSatisfy(\.isWhitespace) else {
      throw .invalid("`\(key)` is required (a non-empty string)")
    }
    guard text.utf8.count <= max else { throw .invalid("`\(key)` is longer than \(max) bytes") }
    return text
  }
}
