import AtalayaCore
import Testing

/// The silences API's book: Alertmanager's v2 request shape, states, updates, expiry,
/// retention and the state file, on an injected time.
@Suite struct SilenceBookTests {
  static let t0 = Timestamp(seconds: 1_800_000_000)

  static func request(_ json: String, at now: Timestamp = t0) throws(SilenceBook.Refusal)
    -> SilenceRequest
  {
    try SilenceRequest.parse(JSONValue.parse(json) ?? .null, at: now)
  }

  /// The refusal `body` threw, nil when it did not throw.
  static func refusal(_ body: () throws(SilenceBook.Refusal) -> Void) -> SilenceBook.Refusal? {
    do throws(SilenceBook.Refusal) {
      try body()
      return nil
    } catch {
      return error
    }
  }

  static let openai = #"{"matchers":[{"name":"provider","value":"openai","isRegex":false}],"#

  static func ids() -> () -> String {
    var n = 0
    return {
      n += 1
      return "id-\(n)"
    }
  }

  @Test func aDurationSilenceIsActiveThenExpiresAndIsDroppedADayLater() throws {
    var book = SilenceBook()
    let id = try book.upsert(
      Self.request(Self.openai + #""duration":"2h","createdBy":"ana","comment":"upgrade"}"#),
      at: Self.t0, newID: Self.ids())
    #expect(id == "id-1")
    let record = try #require(book.record(id: id))
    #expect(record.startsAt == Self.t0 && record.endsAt == Self.t0 + .seconds(7200))
    #expect(record.state(at: Self.t0) == .active)
    #expect(book.silences(at: Self.t0).first?.mutes(["provider": "openai"], at: Self.t0) == true)
    #expect(book.silences(at: Self.t0).first?.mutes(["provider": "groq"], at: Self.t0) == false)
    #expect(book.silences(at: Self.t0).first?.id == id)
    let later = Self.t0 + .seconds(7200)
    #expect(record.state(at: later) == .expired)
    #expect(book.silences(at: later).isEmpty)
    let early = book.prune(at: later + .seconds(86_399))
    #expect(!early)
    let dropped = book.prune(at: later + .seconds(86_400))
    #expect(dropped)
    #expect(book.records.isEmpty)
  }

  @Test func matcherFlagsMapToOperators() throws {
    let r = try Self.request(
      #"""
      {"matchers":[{"name":"a","value":"x"},{"name":"b","value":"x","isEqual":false},
      {"name":"c","value":"x.*","isRegex":true},{"name":"d","value":"x.*","isRegex":true,"isEqual":false}],
      "endsAt":"2027-01-15T09:00:00Z","createdBy":"ana","comment":"c"}
      """#)
    #expect(r.matchers.map(\.description) == [#"a="x""#, #"b!="x""#, #"c=~"x.*""#, #"d!~"x.*""#])
    #expect(r.end == .at(Timestamp(seconds: 1_800_003_600)))
    let round = SilenceBook.matcherJSON(r.matchers[3])
    #expect(round["isRegex"] == .bool(true) && round["isEqual"] == .bool(false))
  }

  @Test func badRequestsAreRefusedWithAReason() {
    let cases: [(String, String)] = [
      ("[]", "JSON object"),
      (#"{"matchers":[],"duration":"1h","createdBy":"a","comment":"c"}"#, "non-empty list"),
      (#"{"duration":"1h","createdBy":"a","comment":"c"}"#, "matchers"),
      (
        #"{"matchers":[{"name":"provider","value":".*","isRegex":true}],"duration":"1h","createdBy":"a","comment":"c"}"#,
        "mute every alert"
      ),
      (
        #"{"matchers":[{"name":"provider","value":"(","isRegex":true}],"duration":"1h","createdBy":"a","comment":"c"}"#,
        "invalid regular expression"
      ),
      (
        #"{"matchers":[{"name":"9p","value":"x"}],"duration":"1h","createdBy":"a","comment":"c"}"#,
        "label name"
      ),
      (
        #"{"matchers":[{"name":"p","value":"x","isRegex":"yes"}],"duration":"1h","createdBy":"a","comment":"c"}"#,
        "true or false"
      ),
      (Self.openai + #""createdBy":"a","comment":"c"}"#, "`endsAt` or `duration` is required"),
      (Self.openai + #""duration":"soon","createdBy":"a","comment":"c"}"#, "`duration`"),
      (
        Self.openai
          + #""duration":"1h","endsAt":"2027-01-15T09:00:00Z","createdBy":"a","comment":"c"}"#,
        "not both"
      ),
      (Self.openai + #""endsAt":"tomorrow","createdBy":"a","comment":"c"}"#, "RFC 3339"),
      (Self.openai + #""duration":"1h","comment":"c"}"#, "`createdBy` is required"),
      (Self.openai + #""duration":"1h","createdBy":"a","comment":" "}"#, "`comment` is required"),
      (Self.openai + #""duration":"1h","createdBy":"a","comment":"c","x":1}"#, "unknown field `x`"),
      (
        Self.openai
          + #""duration":"1h","createdBy":"a","comment":"\#(String(repeating: "c", count: 5000))"}"#,
        "longer than 4096"
      ),
    ]
    for (json, needle) in cases {
      do {
        _ = try Self.request(json)
        Issue.record("accepted: \(json.prefix(120))")
      } catch {
        #expect(error.message.contains(needle), "\(json.prefix(120)): \(error.message)")
        #expect(error.status == 400)
      }
    }
    let many = (0...SilenceBook.maxMatchers).map { #"{"name":"l\#($0)","value":"x"}"# }
    #expect(throws: SilenceBook.Refusal.self) {
      try Self.request(
        #"{"matchers":[\#(many.joined(separator: ","))],"duration":"1h","createdBy":"a","comment":"c"}"#
      )
    }
  }

  @Test func timesInThePastOrBackwardsAreRefused() throws {
    var book = SilenceBook()
    let past = try Self.request(
      Self.openai + #""endsAt":"2020-01-01T00:00:00Z","createdBy":"a","comment":"c"}"#)
    #expect(
      Self.refusal { () throws(SilenceBook.Refusal) in
        _ = try book.upsert(past, at: Self.t0, newID: Self.ids())
      } != nil)
    let backwards = try Self.request(
      Self.openai
        + #""startsAt":"2027-01-16T00:00:00Z","endsAt":"2027-01-15T12:00:00Z","createdBy":"a","comment":"c"}"#
    )
    do {
      _ = try book.upsert(backwards, at: Self.t0, newID: Self.ids())
      Issue.record("accepted a silence that ends before it starts")
    } catch {
      #expect(error.message.contains("must be after startsAt"))
    }
    #expect(book.records.isEmpty)
  }

  @Test func aFutureSilenceIsPendingAndExpiringItEndsItAtOnce() throws {
    var book = SilenceBook()
    let id = try book.upsert(
      Self.request(
        Self.openai
          + #""startsAt":"2027-01-16T00:00:00Z","duration":"1h","createdBy":"a","comment":"c"}"#),
      at: Self.t0, newID: Self.ids())
    #expect(book.record(id: id)?.state(at: Self.t0) == .pending)
    #expect(book.counts(at: Self.t0) == [.pending: 1, .active: 0, .expired: 0])
    try book.expire(id: id, at: Self.t0)
    #expect(book.record(id: id)?.state(at: Self.t0) == .expired)
    #expect(
      Self.refusal { () throws(SilenceBook.Refusal) in try book.expire(id: "nope", at: Self.t0) }
        == .notFound("nope"))
  }

  @Test func updatingKeepsTheIdAndStartAndAnExpiredOneIsReplaced() throws {
    var book = SilenceBook()
    let next = Self.ids()
    let id = try book.upsert(
      Self.request(Self.openai + #""duration":"1h","createdBy":"a","comment":"first"}"#),
      at: Self.t0, newID: next)
    let t1 = Self.t0 + .seconds(600)
    let same = try book.upsert(
      Self.request(
        Self.openai + #""id":"\#(id)","duration":"3h","createdBy":"a","comment":"longer"}"#, at: t1),
      at: t1, newID: next)
    #expect(same == id)
    #expect(book.records.count == 1)
    #expect(book.record(id: id)?.comment == "longer")
    #expect(book.record(id: id)?.startsAt == Self.t0, "an active silence keeps its start")
    #expect(book.record(id: id)?.endsAt == t1 + .seconds(3 * 3600))
    try book.expire(id: id, at: t1)
    let replaced = try book.upsert(
      Self.request(
        Self.openai + #""id":"\#(id)","duration":"1h","createdBy":"a","comment":"again"}"#, at: t1),
      at: t1, newID: next)
    #expect(replaced != id)
    #expect(book.records.count == 2)
    let unknown = try Self.request(
      Self.openai + #""id":"unknown","duration":"1h","createdBy":"a","comment":"c"}"#)
    #expect(
      Self.refusal { () throws(SilenceBook.Refusal) in
        _ = try book.upsert(unknown, at: t1, newID: next)
      } == .notFound("unknown"))
  }

  @Test func theBookIsBoundedAndExpiredSilencesDoNotCount() throws {
    var book = SilenceBook()
    let next = Self.ids()
    let r = try Self.request(Self.openai + #""duration":"1h","createdBy":"a","comment":"c"}"#)
    for _ in 0..<SilenceBook.capacity { _ = try book.upsert(r, at: Self.t0, newID: next) }
    #expect(
      Self.refusal { () throws(SilenceBook.Refusal) in
        _ = try book.upsert(r, at: Self.t0, newID: next)
      } == .full(SilenceBook.capacity))
    // Expired ones make room; past twice the capacity the oldest expired go first.
    for record in book.records { try book.expire(id: record.id, at: Self.t0) }
    for _ in 0..<SilenceBook.capacity { _ = try book.upsert(r, at: Self.t0, newID: next) }
    for record in book.records.suffix(10) { try book.expire(id: record.id, at: Self.t0) }
    for _ in 0..<10 { _ = try book.upsert(r, at: Self.t0, newID: next) }
    #expect(book.records.count == 2 * SilenceBook.capacity)
    #expect(book.records.first?.id == "id-11")
  }

  @Test func theStateFileRoundTripsAndABadRecordIsSkippedAlone() throws {
    var book = SilenceBook()
    let next = Self.ids()
    _ = try book.upsert(
      Self.request(
        #"{"matchers":[{"name":"model","value":"gpt-4.*","isRegex":true}],"duration":"1h","createdBy":"ana \"the sre\"","comment":"line\nbreak"}"#
      ), at: Self.t0, newID: next)
    // Made at a time finer than the file keeps (found by the fuzzer): read back exactly.
    let fine = Self.t0 + .microseconds(123_456)
    _ = try book.upsert(
      Self.request(Self.openai + #""duration":"2h","createdBy":"b","comment":"c"}"#, at: fine),
      at: fine, newID: next)
    let json = try #require(JSONValue.parse(book.stateJSON()))
    #expect(json["format"]?.stringValue == SilenceBook.stateFormat)
    let back = try SilenceBook.decodeState(json)
    #expect(back.book == book)
    #expect(back.skipped.isEmpty)
    #expect(back.book.records.map(\.createdBy) == ["ana \"the sre\"", "b"])
    // One bad record and a repeated id cost only themselves.
    guard case .object(var members) = json, case .array(var items) = json["silences"] else {
      Issue.record("unexpected state JSON")
      return
    }
    items.append(.members([("id", .string("x"))]))
    items.append(items[0])
    members.removeAll { $0.key == "silences" }
    members.append(JSONMember("silences", .array(items)))
    let damaged = try SilenceBook.decodeState(.object(members))
    #expect(damaged.book == book)
    #expect(damaged.skipped.count == 2)
    #expect(damaged.skipped[0].hasPrefix("silence 2:"))
    #expect(damaged.skipped[1].contains("used twice"))
    #expect(throws: SilenceBook.Refusal.self) {
      try SilenceBook.decodeState(JSONValue.parse(#"{"format":"atalaya-silences"}"#)!)
    }
    // The API lists newest first, with a state.
    let listed = book.listJSON(at: fine).arrayValue ?? []
    #expect(listed.first?["id"]?.stringValue == "id-2")
    #expect(listed.first?["status"]?["state"]?.stringValue == "active")
  }

  @Test func changingTheMatchersOfAnActiveSilenceReplacesIt() throws {
    var book = SilenceBook()
    let next = Self.ids()
    let id = try book.upsert(
      Self.request(Self.openai + #""duration":"1h","createdBy":"a","comment":"c"}"#),
      at: Self.t0, newID: next)
    let t1 = Self.t0 + .seconds(60)
    let other = try book.upsert(
      Self.request(
        #"{"id":"\#(id)","matchers":[{"name":"provider","value":"groq"}],"duration":"1h","createdBy":"a","comment":"c"}"#,
        at: t1), at: t1, newID: next)
    #expect(other != id)
    #expect(book.record(id: id)?.state(at: t1) == .expired, "the old one stays on record")
    #expect(book.record(id: other)?.matchers.map(\.description) == [#"provider="groq""#])
  }

  @Test func updatingAPendingSilenceKeepsItsStartUnlessANewOneIsGiven() throws {
    var book = SilenceBook()
    let next = Self.ids()
    let start = Timestamp(seconds: 1_800_086_400)  // a day after t0
    let id = try book.upsert(
      Self.request(
        Self.openai
          + #""startsAt":"\#(RFC3339.format(start))","duration":"1h","createdBy":"a","comment":"c"}"#
      ),
      at: Self.t0, newID: next)
    let same = try book.upsert(
      Self.request(
        Self.openai + #""id":"\#(id)","duration":"2h","createdBy":"a","comment":"fixed typo"}"#),
      at: Self.t0, newID: next)
    #expect(same == id)
    #expect(book.record(id: id)?.startsAt == start)
    #expect(book.record(id: id)?.endsAt == start + .seconds(7200))
    #expect(book.record(id: id)?.state(at: Self.t0) == .pending)
  }

  @Test func limitsOnLengthAndWhitespaceAndTheLongestSilence() throws {
    var book = SilenceBook()
    let far = try Self.request(
      Self.openai + #""endsAt":"2099-01-01T00:00:00Z","createdBy":"a","comment":"c"}"#)
    #expect(
      Self.refusal { () throws(SilenceBook.Refusal) in
        _ = try book.upsert(far, at: Self.t0, newID: Self.ids())
      }?.message.contains("at most") == true)
    for comment in [#"\n"#, #"\t "#] {
      #expect(throws: SilenceBook.Refusal.self) {
        try Self.request(Self.openai + #""duration":"1h","createdBy":"a","comment":"\#(comment)"}"#)
      }
    }
    let values = (0..<5).map {
      #"{"name":"l\#($0)","value":"\#(String(repeating: "v", count: 1000))"}"#
    }
    #expect(throws: SilenceBook.Refusal.self) {
      try Self.request(
        #"{"matchers":[\#(values.joined(separator: ","))],"duration":"1h","createdBy":"a","comment":"c"}"#
      )
    }
  }
}
