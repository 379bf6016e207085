import AtalayaCore

@testable import Probing

/// Test-side view of a JSON request body: its top-level keys, each with the
/// compact encoding of its value.
enum ProbeJSONInspector {
  static func topLevel(_ text: String) -> [String: String]? {
    guard case .object(let members)? = JSONValue.parse(text) else { return nil }
    var out: [String: String] = [:]
    for member in members { out[member.key] = member.value.encoded }
    return out
  }
}
