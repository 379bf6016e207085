import AtalayaCore
import Testing

/// Issue 15, findings 3 and 12: configs that cost unbounded time and memory, and the
/// smaller misreadings.
@Suite struct ConfigLimitsTests {
  /// 1,000 providers each `checks: *c` to a 1,000-item list took 16 s and 792 MB.
  @Test func aliasBombsAreRefusedQuickly() throws {
    var yaml = "x-checks: &c\n"
    for i in 0..<1000 { yaml += "  - {model: m\(i)}\n" }
    yaml += "providers:\n"
    for i in 0..<1000 { yaml += "  - {name: p\(i), type: ollama, checks: *c}\n" }
    let clock = ContinuousClock()
    let start = clock.now
    let e = try #require(configErrors(yaml).first)
    #expect(e.message.contains("more than 200000 YAML nodes"), "\(e.message)")
    // Bounded work, far from the 16 s it took: generous for a loaded debug build.
    #expect(clock.now - start < .seconds(10))
  }

  @Test(arguments: [
    ("providers", 500, "at most 500 providers"),
    ("checks", 100, "at most 100 checks"),
  ])
  func listsAreBounded(what: String, limit: Int, message: String) throws {
    var yaml: String
    if what == "providers" {
      yaml = "providers:\n"
      for i in 0...limit { yaml += "  - {name: p\(i), type: ollama, checks: [{model: m}]}\n" }
    } else {
      yaml = "providers:\n  - name: p\n    type: ollama\n    checks:\n"
      for i in 0...limit { yaml += "      - {model: m\(i)}\n" }
    }
    let e = try #require(singleConfigError(yaml))
    #expect(e.message.contains(message), "\(e.message)")
  }

  @Test func checksOverAllProvidersAreBounded() throws {
    var yaml = "providers:\n"
    for p in 0..<21 {
      yaml += "  - name: p\(p)\n    type: ollama\n    checks:\n"
      for i in 0..<100 { yaml += "      - {model: m\(i)}\n" }
    }
    let e = try #require(singleConfigError(yaml))
    #expect(e.message.contains("at most 2000 checks over all providers"), "\(e.message)")
  }

  @Test func aByteOrderMarkIsNotContent() {
    #expect(configErrors("\u{FEFF}" + minimalProviders).isEmpty)
  }

  @Test func aHugeDurationIsOutOfRangeNotInvalid() throws {
    let e = try #require(singleConfigError(minimalProviders + "\nwindow: 999999999h\n"))
    #expect(e.message.contains("out of range"), "\(e.message)")
    #expect(!e.message.contains("invalid duration"))
  }

  @Test func aNewlineInListenSaysSo() throws {
    let e = try #require(
      singleConfigError(
        minimalProviders + "\nlisten: ${LISTEN}\n", env: ["LISTEN": "127.0.0.1:9478\n"]))
    #expect(e.message.contains("control characters"), "\(e.message)")
    #expect(!e.message.contains("IPv6"))
  }

  @Test func modelIdsAreBounded() throws {
    let long = String(repeating: "m", count: 257)
    let e = try #require(
      singleConfigError("providers:\n  - {name: p, type: ollama, checks: [{model: \(long)}]}\n"))
    #expect(e.message.contains("1 to 256 bytes"), "\(e.message)")
    let ok = String(repeating: "m", count: 256)
    #expect(
      configErrors("providers:\n  - {name: p, type: ollama, checks: [{model: \(ok)}]}\n").isEmpty)
  }

  /// An absurd threshold passed `check`, then trapped when the first alert was formatted.
  @Test func absurdThresholdsAreRefused() throws {
    for threshold in ["100000000000000000000", "18014398509481984"] {
      let yaml =
        minimalProviders + """

          alerting:
            rules:
              - {alert: Slow, expr: latency_p95 < \(threshold), severity: warning}

          """
      #expect(!configErrors(yaml).isEmpty, "threshold \(threshold)")
    }
  }
}

/// Issue 15, finding 6 (and the audit after it): values loaded from tampered state
/// files reach formatting and arithmetic; none of them may trap.
@Suite struct SaturationTests {
  @Test(arguments: [1e300, -1e300, 1.7e20, 9.3e18, 18_014_398_509_481_984, .nan, .infinity])
  func secondsFormatNeverTraps(value: Double) {
    #expect(!SignalUnit.seconds.format(value).isEmpty)
  }

  @Test func timestampDifferencesSaturate() {
    let far = Timestamp(seconds: 1e300) - Timestamp(seconds: -1e300)
    #expect(far == .seconds(Int64(1) << 62))
    #expect(Timestamp(seconds: .nan) - Timestamp(seconds: 0) == .zero)
    #expect(formatDuration(far).hasSuffix("h"))
  }

  @Test func conversionsClamp() {
    #expect(Int(saturating: 1e300) == .max)
    #expect(Int(saturating: -1e300) == .min)
    #expect(Int(saturating: .nan) == 0)
    #expect(Int.max.saturatingAdding(1) == .max)
    #expect(Int.min.saturatingAdding(-1) == .min)
  }
}

/// Issue 15, finding 12: OpenRouter's `limit_reset` was copied verbatim into the status API.
@Suite struct ProviderStringBoundsTests {
  func reset(_ value: JSONValue) -> String? {
    AccountInfo.parse(.members([("data", .members([("usage", 1), ("limit_reset", value)]))]))?
      .limitReset
  }

  @Test func limitResetIsKeptOnlyWhenShortAndPrintable() {
    #expect(reset("monthly") == "monthly")
    #expect(reset("2026-12-01T00:00:00Z") == "2026-12-01T00:00:00Z")
    #expect(reset(.string(String(repeating: "x", count: 65))) == nil)
    #expect(reset("line\nbreak") == nil)
    #expect(reset("\u{202E}rtl") == nil)
  }

  @Test func absurdAccountAmountsAreDropped() {
    let info = AccountInfo.parse(
      .members([("data", .members([("usage", 1), ("limit", .number(1e300))]))]))
    #expect(info?.usage == 1)
    #expect(info?.limit == nil)
  }

  /// OpenRouter reports an overspent key as a negative `limit_remaining`: a reading.
  @Test func aNegativeLimitRemainingIsAReading() {
    let info = AccountInfo.parse(
      .members([
        (
          "data",
          .members([
            ("usage", .number(30.4)), ("limit", .number(30)), ("limit_remaining", .number(-0.4)),
          ])
        )
      ]))
    #expect(info?.limitRemaining == -0.4)
    let absurd = AccountInfo.parse(
      .members([("data", .members([("usage", 1), ("limit_remaining", .number(-1e300))]))]))
    #expect(absurd?.limitRemaining == nil)
  }
}

/// OpenRouter's `limit_reset` as the reset of a spent key.
@Suite struct AccountLimitResetTests {
  func info(remaining: Double?, reset: String?) -> AccountInfo {
    AccountInfo(usage: 10, limit: 10, limitRemaining: remaining, limitReset: reset)
  }

  @Test func aSpentKeyResetsAtTheNextPeriodBoundary() {
    // 2026-12-02T10:30:00Z, a Wednesday.
    let now = RFC3339.parse("2026-12-02T10:30:00Z")!
    #expect(
      info(remaining: 0, reset: "daily").limitResetsAt(after: now)
        == RFC3339.parse("2026-12-03T00:00:00Z"))
    #expect(
      info(remaining: -0.5, reset: "weekly").limitResetsAt(after: now)
        == RFC3339.parse("2026-12-07T00:00:00Z"))
    #expect(
      info(remaining: 0, reset: "monthly").limitResetsAt(after: now)
        == RFC3339.parse("2027-01-01T00:00:00Z"))
    #expect(info(remaining: 1, reset: "daily").limitResetsAt(after: now) == nil)
    #expect(info(remaining: 0, reset: nil).limitResetsAt(after: now) == nil)
  }
}
