import HTTPClient
import Testing

/// `trimmingSpaces()` runs on every header line: only spaces and tabs go, from both ends.
@Suite struct TrimmingSpacesTests {
  @Test(arguments: [
    ("", ""), ("   ", ""), (" \t a b \t", "a b"), ("x", "x"), ("\tné e\u{301} ", "né e\u{301}"),
    (" \u{301}x ", "\u{301}x"), ("a\n", "a\n"), ("\u{A0}a", "\u{A0}a"),
  ])
  func trimsOnlySpacesAndTabs(input: String, expected: String) {
    #expect(input.trimmingSpaces() == expected)
    #expect(("[" + input + "]").dropFirst().dropLast().trimmingSpaces() == expected)
  }
}
