import AtalayaCore
import Testing

/// Recurring maintenance windows: UTC schedules on weekdays, across midnight, the
/// silence they amount to, the providers they cover, and their config errors.
@Suite struct MaintenanceWindowTests {
  /// 2027-01-17T00:00:00Z, a Sunday.
  static let sunday = Timestamp(
    seconds: Double(UTCCalendar.days(year: 2027, month: 1, day: 17)) * 86_400)

  static func config(_ window: String) throws -> AtalayaConfig {
    try ConfigLoader.parse(
      yaml: """
        providers:
          - {name: local, type: ollama, checks: [{model: llama3}]}
          - {name: openai, type: openai, api_key: sk-abcdefghijklmnop, checks: [{model: gpt-4o}]}
        alerting:
          maintenance:
            - \(window)

        """, file: "t.yml", environment: [:])
  }

  @Test func aWeeklyWindowIsInForceOnlyOnItsDay() throws {
    let w = try #require(
      Self.config(
        #"{name: upgrades, days: [sun], start: "02:00", end: "03:00", matchers: ['provider="local"']}"#
      )
      .alerting.maintenance.first)
    #expect(w.weekdays == [.sunday] && w.start == 120 && w.length == .seconds(3600))
    #expect(w.scheduleText == "Sun 02:00-03:00 UTC")
    #expect(w.occurrence(at: Self.sunday + .seconds(7199)) == nil)
    let o = try #require(w.occurrence(at: Self.sunday + .seconds(7200)))
    #expect(o.start == Self.sunday + .seconds(7200) && o.end == Self.sunday + .seconds(10_800))
    #expect(w.occurrence(at: Self.sunday + .seconds(10_800)) == nil)
    #expect(w.occurrence(at: Self.sunday + .seconds(86_400 + 7200)) == nil, "Monday")
    #expect(
      w.nextStart(after: Self.sunday + .seconds(10_800)) == Self.sunday
        + .seconds(7 * 86_400 + 7200))
    let silence = try #require(w.silence(at: Self.sunday + .seconds(9000)))
    #expect(silence.id == "maintenance:upgrades")
    #expect(
      silence.mutes(["provider": "local", "alertname": "X"], at: Self.sunday + .seconds(9000)))
    #expect(!silence.mutes(["provider": "openai"], at: Self.sunday + .seconds(9000)))
    #expect(w.covers(provider: "local") && !w.covers(provider: "openai"))
  }

  @Test func aDailyWindowAcrossMidnightAndADurationWindow() throws {
    let night = try #require(
      Self.config(#"{name: night, start: "23:30", end: "00:30"}"#).alerting.maintenance.first)
    #expect(night.length == .seconds(3600) && night.weekdays.isEmpty)
    #expect(
      night.occurrence(at: Self.sunday + .seconds(600)) != nil, "00:10 belongs to Saturday's window"
    )
    #expect(night.occurrence(at: Self.sunday + .seconds(1800)) == nil)
    #expect(night.covers(provider: "anything"), "no matchers: every provider")
    let long = try #require(
      Self.config(#"{name: long, days: [saturday], start: "22:00", duration: 6h}"#).alerting
        .maintenance.first)
    #expect(
      long.occurrence(at: Self.sunday + .seconds(3 * 3600)) != nil,
      "Sunday 03:00 is inside Saturday 22:00 + 6h")
    #expect(long.scheduleText == "Sat 22:00-04:00 UTC")
  }

  @Test func aWeekdayWindowAcrossMidnightAndAWeekLongWindow() throws {
    let sundayNight = try #require(
      Self.config(#"{name: n, days: [sun], start: "23:30", end: "00:30"}"#).alerting.maintenance
        .first)
    let monday = Self.sunday + .seconds(86_400)
    #expect(sundayNight.occurrence(at: monday + .seconds(600))?.start == monday - .seconds(1800))
    #expect(
      sundayNight.occurrence(at: Self.sunday + .seconds(600)) == nil,
      "Saturday's night is not Sunday's")
    #expect(sundayNight.nextStart(after: monday) == monday + .seconds(6 * 86_400 + 84_600))
    let week = try #require(
      Self.config(#"{name: w, days: [mon], start: "00:00", duration: 7d}"#).alerting.maintenance
        .first)
    #expect(week.occurrence(at: monday) != nil)
    #expect(week.occurrence(at: monday + .seconds(7 * 86_400 - 1))?.start == monday)
    #expect(
      week.occurrence(at: monday + .seconds(7 * 86_400))?.start == monday + .seconds(7 * 86_400))
    #expect(week.nextStart(after: monday) == monday + .seconds(7 * 86_400))
  }

  @Test func maintenanceMutesAlertsThroughTheEffectiveSilences() throws {
    var alerting = try Self.config(
      #"{name: upgrades, start: "02:00", duration: 1h, matchers: ['provider="local"']}"#
    ).alerting
    alerting.rules = [
      AlertRule(
        name: "Failing",
        expr: AlertExpression(
          signal: .consecutiveFailures, op: .greaterOrEqual, value: 1, text: "cf >= 1"))
    ]
    alerting.receivers = [ReceiverConfig(name: "hook", kind: .console)]
    let samples = ["local", "openai"].map {
      SignalSample(signal: .consecutiveFailures, labels: ["provider": $0], value: 2)
    }
    let during = Self.sunday + .seconds(2 * 3600 + 60)
    var config = alerting
    config.silences = alerting.effectiveSilences(api: [], at: during)
    var engine = AlertEngine()
    let sent = engine.evaluate(samples: samples, config: config, at: during)
    #expect(sent.flatMap(\.alerts).compactMap { $0.labels["provider"] } == ["openai"])
    let local = engine.activeAlerts(at: during).first { $0.labels["provider"] == "local" }
    #expect(local?.silencedBy == ["maintenance:upgrades"])
    // After the window the muted alert is sent.
    let after = Self.sunday + .seconds(3 * 3600)
    config.silences = alerting.effectiveSilences(api: [], at: after)
    let later = engine.evaluate(samples: samples, config: config, at: after)
    #expect(
      later.flatMap(\.alerts).compactMap { $0.labels["provider"] }.sorted() == ["local", "openai"])
  }

  @Test func badWindowsAreConfigErrorsAtTheirPosition() {
    for (window, needle) in [
      (#"{start: "02:00", end: "03:00"}"#, "needs a `name`"),
      (#"{name: w, end: "03:00"}"#, "needs `start`"),
      (#"{name: w, start: "02:00"}"#, "`end` (HH:MM, UTC) or `duration`"),
      (#"{name: w, start: "2am", end: "03:00"}"#, "HH:MM"),
      (#"{name: w, start: "24:00", end: "03:00"}"#, "HH:MM"),
      (#"{name: w, start: "02:00", end: "02:00"}"#, "end equals start"),
      (#"{name: w, start: "02:00", end: "03:00", duration: 1h}"#, "not both"),
      (#"{name: w, start: "02:00", duration: 8d}"#, "out of range"),
      (#"{name: w, days: [funday], start: "02:00", end: "03:00"}"#, "unknown day"),
      (#"{name: w, days: [], start: "02:00", end: "03:00"}"#, "leave `days` out"),
      (#"{name: "w x", start: "02:00", end: "03:00"}"#, "letters, digits"),
      (
        #"{name: w, start: "02:00", end: "03:00", matchers: ['p=~"("']}"#,
        "invalid regular expression"
      ),
      (#"{name: w, start: "02:00", end: "03:00", timezone: CET}"#, "timezone"),
    ] {
      let text = """
        providers:
          - {name: local, type: ollama, checks: [{model: llama3}]}
        alerting:
          maintenance:
            - \(window)

        """
      let errors = configErrors(text, file: "t.yml").map(\.description).joined(separator: "\n")
      #expect(errors.contains(needle), "\(window): \(errors)")
      #expect(errors.contains("t.yml:5:"), "\(window): \(errors)")
    }
    let twice = """
      providers:
        - {name: local, type: ollama, checks: [{model: llama3}]}
      alerting:
        maintenance:
          - {name: w, start: "02:00", end: "03:00"}
          - {name: w, start: "04:00", end: "05:00"}

      """
    #expect(configErrors(twice, file: "t.yml").map(\.description).joined().contains("duplicate"))
  }
}
