import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import Logging
import Probing
import Server
import Storage
import Synchronization
import Systemd

/// The whole agent in this process on a manual clock: no binary, no wall-clock sleeps.
/// Probes and deliveries still go over real loopback HTTP.
final class InProcessAgent: Sendable {
  let clock: ManualClock
  let time: ManualClockTimeSource
  let agent: Agent<ManualClock>
  /// The configuration text the next reload reads.
  let yaml: ConfigText
  /// What the agent told systemd.
  let notifications = EventLog<String>()
  let outcomes = EventLog<ProbeOutcome>()
  let evaluations = EventLog<AlertEvaluationService<ManualClock>.Evaluation>()
  /// The HTTP listener's port, once it is up.
  let ports = EventLog<Int>()

  static let probing = ProbingStack()

  /// `onNotify` runs inside the notifier, at the moment a notification is sent.
  init(
    yaml text: String, environment: [String: String] = ["TEST_API_KEY": testAPIKey],
    stateFiles: any StateFileSystem = DiskStateFileSystem(),
    configSource: ReloadService.ConfigSource? = nil,
    onReloadQueued: (@Sendable () -> Void)? = nil,
    onNotify: (@Sendable (String) -> Void)? = nil,
    serverLimits: ServerLimits = ServerLimits(),
    origin: Timestamp = Timestamp(seconds: 1_800_000_000)
  ) async throws {
    let clock = ManualClock()
    let time = ManualClockTimeSource(clock: clock, origin: origin)
    let yaml = ConfigText(text)
    let config = try ConfigLoader.parse(yaml: text, file: "test.yml", environment: environment)
    let notifications = self.notifications
    let outcomes = self.outcomes
    let evaluations = self.evaluations
    let source = configSource ?? Self.source(yaml, environment: environment)
    var settings = Agent<ManualClock>.Settings(
      configSource: source, environment: environment, clock: clock, time: time,
      prober: Prober(
        transport: Self.probing.transport, timeSource: time, userAgent: "atalaya/test"),
      notifier: .recording { message in
        onNotify?(message)
        notifications.append(message)
      },
      logger: Logger(label: "test"))
    settings.handlesSignals = false
    settings.stateFiles = stateFiles
    settings.console = { _ in }
    settings.random = { 0.5 }
    settings.onOutcome = { outcomes.append($0) }
    settings.onEvaluation = { evaluations.append($0) }
    settings.onReloadQueued = onReloadQueued
    settings.serverLimits = serverLimits
    self.clock = clock
    self.time = time
    self.yaml = yaml
    self.agent = await Agent.make(config: config, settings: settings)
  }

  /// Reads `yaml` as it is when the reload happens.
  static func source(_ yaml: ConfigText, environment: [String: String])
    -> ReloadService.ConfigSource
  {
    @Sendable func load() throws(ConfigErrors) -> AtalayaConfig {
      try ConfigLoader.parse(yaml: yaml.value, file: "test.yml", environment: environment)
    }
    return load
  }

  /// Runs the agent while `body` runs, then shuts it down gracefully and waits for it.
  func running<T: Sendable>(_ body: @Sendable (InProcessAgent) async throws -> T) async throws -> T
  {
    let agent = self.agent
    return try await withThrowingTaskGroup(of: T?.self) { group in
      let ports = self.ports
      group.addTask {
        try await agent.run(onListening: { ports.append($0) })
        return nil
      }
      do {
        let result = try await body(self)
        await agent.shutdown()
        while let next = try await group.next() {
          if next != nil { return next! }
        }
        return result
      } catch {
        group.cancelAll()
        throw error
      }
    }
  }

  /// Waits for READY=1.
  func waitUntilReady() async {
    await notifications.wait { $0.contains { $0.hasPrefix("READY=1") } }
  }

  /// Waits until `count` tasks sleep on the clock, then moves it by `duration`.
  func advance(by duration: Duration, afterSleepers count: Int) async {
    await clock.waitForSleepers(count)
    clock.advance(by: duration)
  }
}

/// A StateFileSystem that records where each write ran and fails writes of the files
/// it is told to fail.
final class RecordingStateFiles: StateFileSystem {
  struct Write: Sendable {
    var path: String
    var onIOQueue: Bool
  }

  let failing = Locked<Set<String>>([])
  let writes = EventLog<Write>()
  private let disk = DiskStateFileSystem()

  func read(_ path: String) throws(StateFile.Failure) -> [UInt8]? { try disk.read(path) }

  func write(_ path: String, _ bytes: [UInt8]) throws(StateFile.Failure) {
    let name = String(path.split(separator: "/").last ?? "")
    writes.append(Write(path: path, onIOQueue: BlockingIO.shared.isCurrent))
    if failing.withLock({ $0.contains(name) }) {
      throw StateFile.Failure(description: "injected failure writing \(name)")
    }
    try disk.write(path, bytes)
  }

  func setAside(_ path: String, now: Timestamp) throws(StateFile.Failure) -> String {
    try disk.setAside(path, now: now)
  }

  func writes(of name: String) -> [Write] {
    writes.all.filter { $0.path.hasSuffix("/" + name) }
  }
}

/// Configuration text a test changes between reloads.
final class ConfigText: Sendable {
  private let text: Locked<String>

  init(_ text: String) { self.text = Locked(text) }

  var value: String { text.withLock { $0 } }

  func set(_ new: String) { text.withLock { $0 = new } }
}

extension InProcessAgent {
  /// One evaluation round: waits for the idle sleepers, moves the clock by `interval`
  /// and returns what the evaluation it wakes did.
  func evaluationRound(
    interval: Duration = .seconds(10), sleepers: Int = AgentInProcessTests.idleSleepers
  ) async -> AlertEvaluationService<ManualClock>.Evaluation {
    let before = evaluations.count
    await advance(by: interval, afterSleepers: sleepers)
    return await evaluations.wait(count: before + 1)[before]
  }
}
