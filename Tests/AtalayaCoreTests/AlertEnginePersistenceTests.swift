import AtalayaCore
import Testing

/// A restart in the middle of an incident, and the read models.
@Suite("Alert engine persistence and read models")
struct AlertEnginePersistenceTests {
  let start = Timestamp(seconds: 1_800_000_000)
  let config = alerting([rule(for: 30)], receivers: ["slack:slack", "am:alertmanager"])

  @Test func aRestartNeitherRepeatsAFiringNotificationNorForgetsTheResolve() throws {
    var engine = AlertEngine(generatorURL: alertsURL)
    _ = engine.evaluate(samples: [sample(.errorRate, 0.1)], config: config, at: start)
    let fired = engine.evaluate(
      samples: [sample(.errorRate, 0.1)], config: config, at: start + .seconds(30))
    #expect(fired.map(line).count == 2)

    // Saved together with the outbox right after emitting; the process restarts.
    var restored = try AlertEngine.decode(json: try engine.encodedJSON())
    #expect(restored == engine)
    let afterRestart = restored.evaluate(
      samples: [sample(.errorRate, 0.1)], config: config, at: start + .seconds(45))
    #expect(afterRestart.isEmpty)
    // Alertmanager's cadence continues from the saved time.
    let resend = restored.evaluate(
      samples: [sample(.errorRate, 0.1)], config: config, at: start + .seconds(90))
    #expect(resend.map(line) == ["am HighErrors firing:openai/gpt-4o-mini"])

    // Another restart; while the agent was down the incident ended.
    var again = try AlertEngine.decode(json: try restored.encodedJSON())
    let resolved = again.evaluate(samples: [], config: config, at: start + .seconds(300))
    #expect(
      resolved.map(line) == [
        "slack HighErrors resolved:openai/gpt-4o-mini", "am HighErrors resolved:openai/gpt-4o-mini",
      ])
    #expect(resolved.allSatisfy { $0.alerts[0].startsAt == start + .seconds(30) })
    #expect(again.activeAlerts(at: start + .seconds(300)).isEmpty)
  }

  @Test func aPendingAlertKeepsItsActiveTimeAcrossARestart() throws {
    var engine = AlertEngine()
    _ = engine.evaluate(samples: [sample(.errorRate, 0.1)], config: config, at: start)
    var restored = try AlertEngine.decode(json: try engine.encodedJSON())
    let sent = restored.evaluate(
      samples: [sample(.errorRate, 0.1)], config: config, at: start + .seconds(30))
    #expect(sent.count == 2)
  }

  @Test func garbageStateIsAnErrorNotACrash() {
    #expect(throws: (any Error).self) { try AlertEngine.decode(json: Array("{\"x\":1}".utf8)) }
    #expect(throws: (any Error).self) { try AlertEngine.decode(json: []) }
  }

  @Test func activeAlertsShowStateLabelsValueSinceAndLastNotified() {
    var engine = AlertEngine()
    let config = alerting([rule(for: 60), rule("Slow", "latency_p95 > 5s")])
    _ = engine.evaluate(
      samples: [sample(.errorRate, 0.25), sample(.latencyP95, 6.5)], config: config, at: start)
    let later = start + .seconds(15)
    _ = engine.evaluate(
      samples: [sample(.errorRate, 0.3), sample(.latencyP95, 7)], config: config, at: later)
    let alerts = engine.activeAlerts(at: later)
    #expect(alerts.map(\.alertname) == ["HighErrors", "Slow"])
    #expect(alerts.map(\.state) == [.pending, .firing])
    #expect(alerts.map(\.value) == [0.3, 7])
    #expect(alerts.map(\.formattedValue) == ["30%", "7s"])
    #expect(alerts.map(\.since) == [start, start])
    #expect(alerts.map(\.firedAt) == [nil, start])
    #expect(alerts.map(\.lastNotified) == [nil, start])
    #expect(alerts[1].labels["model"] == "gpt-4o-mini")
    #expect(alerts[1].annotations["summary"] == "openai/gpt-4o-mini: latency_p95 is 7s (> 5s)")
    #expect(
      engine.alertCounts().map { "\($0.alertname) \($0.state.rawValue) \($0.count)" } == [
        "HighErrors pending 1", "HighErrors firing 0", "Slow pending 0", "Slow firing 1",
      ])
    #expect(engine.evaluationsTotal == 4)
    #expect(engine.evaluationFailuresTotal == 0)
    #expect(engine.lastEvaluationAt == later)
  }
}
