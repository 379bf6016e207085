import Testing

@testable import AtalayaCore

@Suite struct JSONValueTests {
  @Test func parsesEveryKindOfValue() {
    let json = JSONValue.parse(
      #" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}, "a2": {}} "#)
    #expect(json?["a"]?[0]?.intValue == 1)
    #expect(json?["a"]?[1]?.doubleValue == -2500)
    #expect(json?["a"]?[2]?.boolValue == true)
    #expect(json?["a"]?[4] == .null)
    #expect(json?["b"]?["c"]?.stringValue == "d\né😀")
    #expect(json?["a2"] == .object([]))
    #expect(json?["missing"] == nil)
  }

  @Test(arguments: [
    "", "{", "[1,]", "{\"a\":}", "01x", "\"unterminated", "tru", "{\"a\":1}x", "[1 2]", "\"\\x\"",
    "-", "1.", "\"a\u{1}\"",
  ])
  func rejectsInvalidJSON(_ text: String) {
    #expect(JSONValue.parse(text) == nil)
  }

  @Test func deepNestingIsRejectedNotACrash() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(JSONValue.parse(deep) == nil)
    let ok = String(repeating: "[", count: 30) + String(repeating: "]", count: 30)
    #expect(JSONValue.parse(ok) != nil)
  }

  @Test func loneSurrogateBecomesReplacementCharacter() {
    #expect(JSONValue.parse(#""\ud800x""#)?.stringValue == "\u{FFFD}x")
  }

  @Test func encodingRoundTripsAndEscapes() {
    let value: JSONValue = .object([
      JSONMember("s", .string("q\"\\\n\u{1}é")), JSONMember("n", 8), JSONMember("f", .number(0.5)),
      JSONMember("b", false), JSONMember("z", .null), JSONMember("a", .array([1, "x"])),
    ])
    #expect(
      value.encoded == #"{"s":"q\"\\\n\u0001é","n":8,"f":0.5,"b":false,"z":null,"a":[1,"x"]}"#)
    #expect(JSONValue.parse(value.encoded) == value)
  }

  @Test func textValueRendersStringsAndIntegers() {
    #expect(JSONValue.string("x").textValue == "x")
    #expect(JSONValue.number(429).textValue == "429")
    #expect(JSONValue.null.textValue == nil)
  }
}
