import AtalayaCore

/// Label and annotation maps as payloads need them: sorted JSON objects, the
/// pairs shared by every alert, and Alertmanager's `{a="b", c="d"}` text form.
enum LabelText {
  /// A JSON object of `labels`, keys sorted (deterministic payloads).
  static func json(_ labels: [String: String]) -> JSONValue {
    .object(labels.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) })
  }

  /// The pairs that every map has with the same value (empty for no maps).
  static func common(_ maps: [[String: String]]) -> [String: String] {
    guard var result = maps.first else { return [:] }
    for map in maps.dropFirst() {
      result = result.filter { map[$0.key] == $0.value }
    }
    return result
  }

  /// Prometheus' label set text: `{alertname="X", severity="critical"}`, keys
  /// sorted, values quoted like Go's `%q`.
  static func braced(_ labels: [String: String]) -> String {
    let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
    return "{" + pairs.joined(separator: ", ") + "}"
  }

  /// `text` in double quotes with `\`, `"` and control characters escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
