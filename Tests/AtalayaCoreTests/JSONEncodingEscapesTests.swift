import AtalayaCore
import Testing

/// Strings with nothing to escape take a fast path; both paths must give the same JSON.
@Suite struct JSONEncodingEscapesTests {
  @Test func plainAndEscapedStrings() {
    let value: JSONValue = .object([
      JSONMember("plain", .string("Reply with the single word: ok")),
      JSONMember("q\"k", .string("a\\b\n\u{1}é")),
      JSONMember("ünï", .string("")),
    ])
    #expect(
      value.encoded
        == #"{"plain":"Reply with the single word: ok","q\"k":"a\\b\n\u0001é","ünï":""}"#)
  }
}
