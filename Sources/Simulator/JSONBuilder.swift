import AtalayaCore

/// A tiny JSON document builder that keeps object keys in the order given,
/// so simulated bodies look like the real providers' and need no Foundation.
enum JSONBuilder: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral
{
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case null
  case array([JSONBuilder])
  case object([(String, JSONBuilder)])

  init(stringLiteral value: String) { self = .string(value) }
  init(integerLiteral value: Int) { self = .int(value) }
  init(booleanLiteral value: Bool) { self = .bool(value) }

  /// The compact JSON text (rendered by AtalayaCore's encoder).
  var rendered: String { core.encoded }

  /// The same document as an ``AtalayaCore/JSONValue``.
  var core: AtalayaCore.JSONValue {
    switch self {
    case .string(let s): .string(s)
    case .int(let i): .number(Double(i))
    case .double(let d): .number(d)
    case .bool(let b): .bool(b)
    case .null: .null
    case .array(let items): .array(items.map(\.core))
    case .object(let fields): .object(fields.map { JSONMember($0.0, $0.1.core) })
    }
  }
}
