import AtalayaAgent
import AtalayaCore
import Logging
import ServiceLifecycle
import Simulator
import Systemd

/// What `atalaya demo` does behind its argument parsing: simulated providers on
/// loopback and the agent watching them, printing one line per probe round.
public enum DemoLaunch {
  /// Why the demo could not start.
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  public static func run(port: Int, environment env: [String: String], logger: Logger)
    async throws
  {
    AgentLaunch.ignoreStraySignals()
    let simulator = ProviderSimulator(providers: DemoScenario.providers())
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await simulator.run() }
      defer { group.cancelAll() }
      let simulatorPort = try await simulator.waitUntilListening()
      let minuteOfDay = Int(SystemTimeSource().now().seconds / 60) % 1440
      let yaml = DemoScenario.config(
        port: port, simulatorPort: simulatorPort, maintenanceStart: minuteOfDay)
      let config: AtalayaConfig
      do {
        config = try ConfigLoader.parse(yaml: yaml, file: "<demo>", environment: env)
      } catch {
        throw Failure(description: "demo config invalid (a bug):\n\(error)")
      }
      let console = DemoConsole()
      let probing = ProbingStack()
      defer { probing.shutdown() }
      var settings = Agent<ContinuousClock>.Settings(
        configSource: { () throws(ConfigErrors) in config }, environment: env,
        clock: ContinuousClock(), time: SystemTimeSource(), prober: probing.prober,
        notifier: SystemdNotifier(environment: env), logger: logger)
      settings.onOutcome = { console.record($0) }
      let agent = await Agent.make(config: config, settings: settings)
      let rounds = DemoRoundsService(
        clock: ContinuousClock(), interval: config.defaults.interval, console: console,
        health: agent.health, time: SystemTimeSource())
      try await agent.run(extraServices: [rounds]) { boundPort in
        print(
          """
          Atalaya demo: five simulated providers on 127.0.0.1:\(simulatorPort), probed every \
          \(Int(config.defaults.interval.seconds))s.
            steady     healthy            flaky      ~20% errors
            sluggish   slow (~2.5s)       blinky     down 60s of every 180s
            throttled  rate-limits every 3rd request
          Look at:
            http://127.0.0.1:\(boundPort)/metrics
            http://127.0.0.1:\(boundPort)/api/v1/status
            http://127.0.0.1:\(boundPort)/status            (the status page; sluggish is in maintenance)
            curl -N http://127.0.0.1:\(boundPort)/api/v1/events
          Silence flaky for an hour:
            export ATALAYA_ADMIN_TOKEN=\(DemoScenario.adminToken) ATALAYA_URL=http://127.0.0.1:\(boundPort)
            atalaya silence add provider=flaky --comment "known issue"; atalaya silence list
          Ctrl-C stops.

          """)
      }
    }
  }
}

/// Prints the demo's round line every `interval` until shutdown.
struct DemoRoundsService<C: Clock>: Service where C.Duration == Duration {
  let clock: C
  let interval: Duration
  let console: DemoConsole
  let health: HealthStore
  let time: any TimeSource

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do { try await clock.sleep(for: interval) } catch { return }
        console.printRound(health.view(at: time.now()))
      }
    }
  }
}
