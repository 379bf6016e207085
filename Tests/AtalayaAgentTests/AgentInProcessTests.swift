import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import Dispatch
import HTTPClient
import Probing
import Storage
import Synchronization
import Systemd
import Testing

#if canImport(Glibc)
  import Glibc
#endif

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The whole agent in-process on a manual clock: probe → windows → breaker → rule →
/// outbox → delivery, and the runtime defects of the redesign, each waited on by events.
@Suite("Agent in-process on a manual clock", .timeLimit(.minutes(1)))
struct AgentInProcessTests {
  /// Sleepers on the clock when the agent idles with one check: the scheduler tick, the
  /// check's slot, rule evaluation, persistence, account polls and price refresh.
  static let idleSleepers = 7

  static func yaml(
    provider: String, hook: String? = nil, stateDir: String? = nil, model: String = "m",
    extraCheck: String = ""
  ) -> String {
    var y = """
      listen: 127.0.0.1:0
      defaults: {interval: 10s, timeout: 5s}
      circuit_breaker: {failure_threshold: 1, reset_timeout: 1h, success_threshold: 1}
      providers:
        - name: p
          type: openai
          base_url: \(provider)/v1
          api_key: ${TEST_API_KEY}
          checks:
            - {model: \(model), slow: 5s\(extraCheck)}

      """
    if let stateDir { y += "state_dir: \(stateDir)\n" }
    if let hook {
      y += """
        alerting:
          evaluation_interval: 10s
          repeat_interval: 1h
          rules:
            - alert: ProviderDown
              expr: provider_down == 1
              severity: critical
              annotations: {summary: "{{ .provider }} is down"}
          receivers:
            - {name: hook, type: webhook, url: "\(hook)/hook"}

        """
    }
    return y
  }

  /// Advances one interval at a time until an evaluation queued a notification.
  static func evaluateUntilQueued(_ a: InProcessAgent, rounds: Int = 4) async -> Bool {
    for _ in 0..<rounds {
      let before = a.evaluations.count
      await a.advance(by: .seconds(10), afterSleepers: idleSleepers)
      let all = await a.evaluations.wait(count: before + 1)
      if case .evaluated(let queued) = all[before], queued > 0 { return true }
    }
    return false
  }

  @Test func aFailingProbeIsDeliveredToTheReceiverWithoutWallClockSleeps() async throws {
    let provider = TestHTTPServer(status: 500, body: #"{"error":{"message":"boom"}}"#)
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL, hook: hook.baseURL))
    try await a.running { a in
      await a.waitUntilReady()
      #expect(await Self.evaluateUntilQueued(a))
      let outcome = try #require(a.outcomes.all.first)
      #expect(outcome.result == .serverError)
      let view = a.agent.health.view(at: a.time.now())
      #expect(view.checks.first?.circuit == .open)
      #expect(view.providers.first?.status == .down)
      let delivered = await hook.received.wait(count: 1)
      let body = try #require(JSONValue.parse(delivered[0].body))
      #expect(body["status"]?.stringValue == "firing")
      #expect(body["alerts"]?[0]?["labels"]?["alertname"]?.stringValue == "ProviderDown")
      #expect(body["alerts"]?[0]?["annotations"]?["summary"]?.stringValue == "p is down")
    }
    #expect(a.agent.deliverer.metrics.receivers["hook"]?.sent == 1)
    #expect(a.agent.deliverer.queueLength == 0)
    #expect(hook.requests.count == 1)
  }

  /// Defect 6: READY=1 could be sent before the scheduler was armed.
  @Test func readyIsSentOnceListeningAndArmed() async throws {
    let provider = TestHTTPServer(body: "{}")
    defer { provider.stop() }
    let scheduled = Locked<[Int]>([])
    let box = Locked<ProbeScheduler<ManualClock>?>(nil)
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL),
      onNotify: { message in
        guard message.hasPrefix("READY=1") else { return }
        let count = box.withLock { $0?.entries.count ?? -1 }
        scheduled.withLock { $0.append(count) }
      })
    box.withLock { $0 = a.agent.probes.scheduler }
    try await a.running { a in
      await a.waitUntilReady()
      #expect(a.agent.readiness.isReady)
    }
    #expect(scheduled.withLock { $0 } == [1])
  }

  @Test func readinessStateSendsReadyOnceWhenBothHold() {
    var listenFirst = ReadinessState()
    #expect(listenFirst.listening() == .none)
    #expect(!listenFirst.isReady)
    #expect(listenFirst.schedulerArmed() == .sendReady)
    #expect(listenFirst.listening() == .none)
    var armFirst = ReadinessState()
    #expect(armFirst.schedulerArmed() == .none)
    #expect(armFirst.listening() == .sendReady)
    #expect(armFirst.isReady)
  }

  /// Defect 1: a probe cancelled by a reload or by shutdown was recorded as `timeout`.
  @Test func probesTheAgentCancelsRecordNothing() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let provider = TestHTTPServer { _ in .hang }
    defer { provider.stop() }
    let stateDir = dir.path + "/state"
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL, stateDir: stateDir))
    try await a.running { a in
      await a.waitUntilReady()
      await a.advance(by: .seconds(10), afterSleepers: Self.idleSleepers)
      await provider.received.wait(count: 1)
      // A reload that changes the check cancels the probe in flight.
      a.yaml.set(
        Self.yaml(provider: provider.baseURL, stateDir: stateDir, extraCheck: ", interval: 20s"))
      #expect(await a.agent.reloader.reload().success)
      await a.clock.waitForSleepers(Self.idleSleepers)
      // The next probe is cut short by the shutdown.
      a.clock.advance(by: .seconds(20))
      await provider.received.wait(count: 2)
    }
    #expect(a.outcomes.count == 0)
    let check = try #require(a.agent.health.view(at: a.time.now()).checks.first)
    #expect(check.health.lastOutcome == nil)
    #expect(check.stats.total == 0)
    #expect(check.circuit == .closed)
    let saved = try #require(try StateFile(path: stateDir + "/state.json").read())
    let snapshot = try HealthSnapshot.decode(saved)
    #expect(snapshot.checks.values.allSatisfy { $0.lastOutcome == nil })
  }

  /// Defect 2: SIGHUP and POST /-/reload could interleave and leave the stores on
  /// different configurations. Reloads are served one at a time, in order.
  @Test func reloadsAreServedOneAtATimeAndApplyOneGeneration() async throws {
    let provider = TestHTTPServer(body: "{}")
    defer { provider.stop() }
    let first = DispatchSemaphore(value: 0)
    let calls = Locked(0)
    let generationAtSecondLoad = Locked<UInt64?>(nil)
    let current = Locked<CurrentConfig?>(nil)
    let entered = EventLog<Int>()
    let queued = EventLog<Int>()
    let base = provider.baseURL
    let source: ReloadService.ConfigSource = { () throws(ConfigErrors) in
      let n = calls.withLock { c -> Int in
        c += 1
        return c
      }
      entered.append(n)
      if n == 1 {
        first.wait()
      } else {
        generationAtSecondLoad.withLock { $0 = current.withLock { $0?.generation.number } }
      }
      return try ConfigLoader.parse(
        yaml: Self.yaml(provider: base, model: n == 1 ? "first" : "second"), file: "t.yml",
        environment: ["TEST_API_KEY": testAPIKey])
    }
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: base), configSource: source, onReloadQueued: { queued.append(1) })
    current.withLock { $0 = a.agent.current }
    try await a.running { a in
      await a.waitUntilReady()
      async let one = a.agent.reloader.reload()
      await entered.wait(count: 1)
      async let two = a.agent.reloader.reload()
      await queued.wait(count: 2)
      first.signal()
      let (r1, r2) = await (one, two)
      #expect(r1.success && r2.success)
      #expect(a.agent.probes.scheduler.entries.map(\.id.model) == ["second"])
    }
    // The second reload read its file only once the first one was applied everywhere.
    #expect(generationAtSecondLoad.withLock { $0 } == 2)
    #expect(a.agent.current.generation.number == 3)
    let model = a.agent.config.providers.first?.checks.first?.model
    #expect(model == "second")
    #expect(a.agent.health.config.providers.first?.checks.first?.model == "second")
  }

  /// Defect 3: state files were written under a lock on the cooperative pool, and
  /// alerts.json at every evaluation.
  @Test func stateFilesAreWrittenOffThePoolAndAlertsOnlyWhenChanged() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let provider = TestHTTPServer(status: 500, body: "down")
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    let files = RecordingStateFiles()
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL, hook: hook.baseURL, stateDir: dir.path),
      stateFiles: files)
    try await a.running { a in
      await a.waitUntilReady()
      #expect(await Self.evaluateUntilQueued(a))
      await hook.received.wait(count: 1)
      let alertWrites = files.writes(of: "alerts.json").count
      #expect(alertWrites >= 1)
      // Three more evaluations while the alert keeps firing: nothing durable changed.
      for _ in 0..<3 {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: Self.idleSleepers)
        await a.evaluations.wait(count: before + 1)
      }
      #expect(files.writes(of: "alerts.json").count == alertWrites)
    }
    #expect(files.writes(of: "outbox.json").count >= 2)  // queued, then delivered
    #expect(files.writes(of: "state.json").count >= 1)  // at shutdown
    #expect(files.writes.all.allSatisfy { $0.onIOQueue })
  }

  /// Defect 4: a failed outbox write was only logged while the engine recorded the
  /// notification as sent: it was lost.
  @Test func anUnwritableOutboxLeavesTheNotificationOwed() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let provider = TestHTTPServer(status: 500, body: "down")
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    let files = RecordingStateFiles()
    files.failing.withLock { $0 = ["outbox.json"] }
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL, hook: hook.baseURL, stateDir: dir.path),
      stateFiles: files)
    try await a.running { a in
      await a.waitUntilReady()
      var failed = false
      for _ in 0..<4 where !failed {
        let before = a.evaluations.count
        await a.advance(by: .seconds(10), afterSleepers: Self.idleSleepers)
        failed = await a.evaluations.wait(count: before + 1)[before] == .outboxWriteFailed
      }
      #expect(failed)
      #expect(a.agent.alerts.current.instances.values.allSatisfy { $0.lastNotified.isEmpty })
      #expect(a.agent.deliverer.queueLength == 0)
      let metrics = String(decoding: await a.agent.presenter.renderMetrics(), as: UTF8.self)
      #expect(
        (sampleValue(metrics, #"atalaya_state_write_failures_total{file="outbox.json"}"#) ?? 0)
          >= 1)
      // The disk is back: the next evaluation queues it again and it is delivered.
      files.failing.withLock { $0 = [] }
      #expect(await Self.evaluateUntilQueued(a, rounds: 1))
      await hook.received.wait(count: 1)
    }
    #expect(hook.requests.count == 1)
  }

  /// Issue 15, finding 12: after kill -9 the restored counters were up to one save
  /// interval older than what Prometheus had read, so they went backwards (a "reset" that
  /// `increase()` counts in full). A run that did not stop cleanly restores windows and
  /// budgets, and starts counters from zero.
  @Test func countersStartFromZeroAfterAnUncleanStop() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let provider = TestHTTPServer(status: 500, body: "down")
    defer { provider.stop() }
    let yaml = Self.yaml(provider: provider.baseURL, stateDir: dir.path)
    let series = #"atalaya_probes_total{provider="p",model="m",result="server_error"}"#
    func probesCounted(_ a: InProcessAgent) async -> Double? {
      sampleValue(String(decoding: await a.agent.presenter.renderMetrics(), as: UTF8.self), series)
    }
    let first = try await InProcessAgent(yaml: yaml)
    try await first.running { a in
      await a.waitUntilReady()
      await a.advance(by: .seconds(10), afterSleepers: Self.idleSleepers)
      _ = await a.outcomes.wait(count: 1)
      #expect(FileManagerShim.exists(dir.path + "/running"))
    }
    // A clean stop removes the marker: the next run continues the counters.
    #expect(!FileManagerShim.exists(dir.path + "/running"))
    let second = try await InProcessAgent(yaml: yaml)
    #expect(await probesCounted(second) == 1)
    // `second` was built and never stopped, as after kill -9: its marker stays.
    let third = try await InProcessAgent(yaml: yaml)
    #expect((await probesCounted(third) ?? 0) == 0)
    let restored = third.agent.health.view(at: third.time.now()).checks.first
    #expect(restored?.health.lastOutcome?.result == .serverError)
  }

  /// Defect 7: `atalaya_probe_http_status` vanished when a probe got no response.
  @Test func httpStatusIsZeroWhenTheProbeGotNoResponse() async throws {
    let a = try await InProcessAgent(yaml: Self.yaml(provider: "http://127.0.0.1:\(refusedPort())"))
    try await a.running { a in
      await a.waitUntilReady()
      await a.advance(by: .seconds(10), afterSleepers: Self.idleSleepers)
      let outcome = await a.outcomes.wait(count: 1)[0]
      #expect(outcome.result == .connect)
      let metrics = String(decoding: await a.agent.presenter.renderMetrics(), as: UTF8.self)
      #expect(sampleValue(metrics, #"atalaya_probe_http_status{provider="p",model="m"}"#) == 0)
    }
  }
}

/// File checks without Foundation in the assertions' way.
enum FileManagerShim {
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }
}
