extension JSONValue {
  /// Compact JSON text.
  public var encoded: String {
    var out = ""
    encode(into: &out, indent: nil)
    return out
  }

  /// JSON text indented by two spaces per level (members keep their order).
  public var prettyEncoded: String {
    var out = ""
    encode(into: &out, indent: 0)
    return out + "\n"
  }

  /// Compact JSON as UTF-8 bytes.
  public var encodedBytes: [UInt8] { Array(encoded.utf8) }

  private func encode(into out: inout String, indent: Int?) {
    func newline(_ level: Int) {
      out += "\n"
      out += String(repeating: "  ", count: level)
    }
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n):
      if let i = intValue {
        out += String(i)
      } else if n.isFinite {
        out += "\(n)"
      } else {
        out += "null"
      }
    case .string(let s): JSONValue.encodeString(s, into: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        if let indent { newline(indent + 1) }
        item.encode(into: &out, indent: indent.map { $0 + 1 })
      }
      if let indent, !items.isEmpty { newline(indent) }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, member) in members.enumerated() {
        if i > 0 { out += "," }
        if let indent { newline(indent + 1) }
        JSONValue.encodeString(member.key, into: &out)
        out += indent == nil ? ":" : ": "
        member.value.encode(into: &out, indent: indent.map { $0 + 1 })
      }
      if let indent, !members.isEmpty { newline(indent) }
      out += "}"
    }
  }

  private static func encodeString(_ s: String, into out: inout String) {
    out += "\""
    // Fast path: nothing to escape (nearly every key and value), so one copy instead of
    // one append per scalar (probe request bodies are encoded on every probe).
    let quote = UInt8(ascii: "\"")
    let backslash = UInt8(ascii: "\\")
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == quote || $0 == backslash }) {
      out += s
      out += "\""
      return
    }
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
