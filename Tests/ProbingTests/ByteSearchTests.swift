import Testing

@testable import Probing

@Suite("String.containsBytes")
struct ByteSearchTests {
  @Test(arguments: [
    ("text/event-stream; charset=utf-8", "text/event-stream", true),
    ("application/json", "json", true),
    ("application/x-ndjson", "ndjson", true),
    ("application/jso", "json", false),
    ("", "json", false),
    ("json", "", true),
    ("jsojsojson", "json", true),
    ("text/plain", "text/plainx", false),
    ("tëxt/event-stream", "event-stream", true),
    ("Application/JSON", "json", false),  // callers lower-case first
  ])
  func findsTheBytes(haystack: String, needle: String, expected: Bool) {
    #expect(haystack.containsBytes(needle) == expected)
    #expect(haystack.containsBytes(needle) == haystack.utf8.elementsEqualAnywhere(needle.utf8))
  }
}

extension String.UTF8View {
  /// The naive reference: `needle` at any offset.
  fileprivate func elementsEqualAnywhere(_ needle: String.UTF8View) -> Bool {
    let h = Array(self)
    let n = Array(needle)
    if n.isEmpty { return true }
    guard h.count >= n.count else { return false }
    return (0...(h.count - n.count)).contains { Array(h[$0..<$0 + n.count]) == n }
  }
}
