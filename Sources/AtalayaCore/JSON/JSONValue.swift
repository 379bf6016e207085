/// A parsed JSON value. Objects keep their members in order (encoding is
/// deterministic and duplicate keys resolve to the last one on lookup).
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([JSONMember])

  /// The member `key` of an object (the last one if repeated).
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.key == key }?.value
  }

  /// Element `index` of an array.
  public subscript(index: Int) -> JSONValue? {
    guard case .array(let items) = self, index >= 0, index < items.count else { return nil }
    return items[index]
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// The number as an Int when it is integral and in range.
  public var intValue: Int? {
    guard case .number(let n) = self, n.isFinite, n.rounded() == n,
      n >= -9.0e18, n <= 9.0e18
    else { return nil }
    return Int(n)
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var isObject: Bool {
    if case .object = self { return true }
    return false
  }

  /// A string, or a number rendered as text (error codes come as either).
  public var textValue: String? {
    switch self {
    case .string(let s): return s
    case .number: return intValue.map(String.init) ?? doubleValue.map { "\($0)" }
    default: return nil
    }
  }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
  public var key: String
  public var value: JSONValue

  public init(_ key: String, _ value: JSONValue) {
    self.key = key
    self.value = value
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension JSONValue {
  /// An object from key-value pairs, in order.
  public static func members(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(pairs.map { JSONMember($0.0, $0.1) })
  }

  /// A number, or null when absent.
  public static func number(_ value: Double?) -> JSONValue {
    value.map { .number($0) } ?? .null
  }

  /// A string, or null when absent.
  public static func string(_ value: String?) -> JSONValue {
    value.map { .string($0) } ?? .null
  }
}
