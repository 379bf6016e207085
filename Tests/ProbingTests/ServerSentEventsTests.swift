import Testing

@testable import Probing

@Suite struct ServerSentEventsTests {
  @Test func parsesEventsDataAndComments() {
    let body =
      ": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\ndata: line1\r\ndata:line2\r\n\r\ndata: [DONE]"
    let events = ServerSentEvents.parse(body.bytes)
    #expect(events.map(\.event) == ["message_start", nil, nil])
    #expect(events.map(\.data) == [#"{"a":1}"#, "line1\nline2", "[DONE]"])
  }

  @Test func endOffsetIsTheLastByteOfTheLastDataLine() {
    let body = "data: a\n\ndata: bb\n\n"
    let events = ServerSentEvents.parse(body.bytes)
    #expect(events.map(\.endOffset) == [7, 17])
    #expect(Array(body.utf8)[17] == UInt8(ascii: "\n"))
  }

  @Test func emptyBodyHasNoEvents() {
    #expect(ServerSentEvents.parse([]).isEmpty)
    #expect(ServerSentEvents.parse("\n\n\n".bytes).isEmpty)
  }
}
