import AtalayaCore

/// Why persisted outbox JSON could not be read.
public struct OutboxFormatError: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) { self.description = description }
}

extension AlertNotification {
  /// The notification as JSON for the outbox file (labels sorted).
  public var json: JSONValue {
    .members([
      ("id", .string(id)),
      ("receiver", .string(receiver)),
      ("groupLabels", LabelText.json(groupLabels)),
      ("createdAt", .number(createdAt.seconds)),
      ("alerts", .array(alerts.map(\.json))),
    ])
  }

  /// Reads what ``json`` wrote.
  public init(json: JSONValue) throws(OutboxFormatError) {
    let alerts = try JSONReading.array(json, "alerts")
    var decoded: [Alert] = []
    for item in alerts { decoded.append(try Alert(json: item)) }
    self.init(
      id: try JSONReading.string(json, "id"), receiver: try JSONReading.string(json, "receiver"),
      groupLabels: try JSONReading.labels(json, "groupLabels"), alerts: decoded,
      createdAt: Timestamp(seconds: try JSONReading.number(json, "createdAt")))
  }
}

extension Alert {
  /// The alert as JSON for the outbox file.
  public var json: JSONValue {
    .members([
      ("labels", LabelText.json(labels)),
      ("annotations", LabelText.json(annotations)),
      ("status", .string(status.rawValue)),
      ("startsAt", .number(startsAt.seconds)),
      ("endsAt", .number(endsAt?.seconds)),
      ("value", value.isFinite ? .number(value) : .string("\(value)")),
      ("fingerprint", .string(fingerprint)),
      ("generatorURL", .string(generatorURL)),
    ])
  }

  /// Reads what ``json`` wrote.
  public init(json: JSONValue) throws(OutboxFormatError) {
    let statusText = try JSONReading.string(json, "status")
    guard let status = AlertStatus(rawValue: statusText) else {
      throw OutboxFormatError("unknown alert status \(LabelText.quoted(statusText))")
    }
    let value: Double
    switch json["value"] {
    case .number(let n): value = n
    case .string(let s):
      guard let n = Double(s) else { throw OutboxFormatError("alert value is not a number") }
      value = n
    default: throw OutboxFormatError("alert value is missing")
    }
    let endsAt: Timestamp?
    switch json["endsAt"] {
    case .number(let n): endsAt = Timestamp(seconds: n)
    case .null, nil: endsAt = nil
    default: throw OutboxFormatError("alert endsAt is not a number")
    }
    self.init(
      labels: try JSONReading.labels(json, "labels"),
      annotations: try JSONReading.labels(json, "annotations"), status: status,
      startsAt: Timestamp(seconds: try JSONReading.number(json, "startsAt")), endsAt: endsAt,
      value: value, fingerprint: try JSONReading.string(json, "fingerprint"),
      generatorURL: try JSONReading.string(json, "generatorURL"))
  }
}

/// Typed member access that explains what is wrong.
enum JSONReading {
  static func string(_ json: JSONValue, _ key: String) throws(OutboxFormatError) -> String {
    guard let s = json[key]?.stringValue else { throw OutboxFormatError("\(key) is not a string") }
    return s
  }

  static func number(_ json: JSONValue, _ key: String) throws(OutboxFormatError) -> Double {
    guard let n = json[key]?.doubleValue, n.isFinite else {
      throw OutboxFormatError("\(key) is not a number")
    }
    return n
  }

  static func array(_ json: JSONValue, _ key: String) throws(OutboxFormatError) -> [JSONValue] {
    guard let a = json[key]?.arrayValue else { throw OutboxFormatError("\(key) is not an array") }
    return a
  }

  static func labels(_ json: JSONValue, _ key: String) throws(OutboxFormatError) -> [String: String]
  {
    guard case .object(let members) = json[key] else {
      throw OutboxFormatError("\(key) is not an object")
    }
    var result: [String: String] = [:]
    for member in members {
      guard let value = member.value.stringValue else {
        throw OutboxFormatError("\(key).\(member.key) is not a string")
      }
      result[member.key] = value
    }
    return result
  }
}
