import ArgumentParser
import AtalayaAgent
import AtalayaCore
import Logging
import Simulator

/// `atalaya demo`: simulated providers on loopback and the agent watching them.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the agent against simulated providers on loopback (no keys, no network).")

  @Option(help: "Port for the agent's HTTP server.") var port: Int = 9478
  @Option(help: "Log level (default warning, so the round lines stay readable).") var logLevel:
    String = "warning"

  func run() async throws {
    MemoryTuning.apply()
    let env = ProcessEnvironment.current()
    _ = LogSetup.bootstrap(level: logLevel)
    let logger = Logger(label: "atalaya")

    let simulator = ProviderSimulator(providers: DemoScenario.providers())
    let simulatorTask = Task { try await simulator.run() }
    defer { simulatorTask.cancel() }
    let simulatorPort = try await simulator.waitUntilListening()

    let yaml = DemoScenario.config(port: port, simulatorPort: simulatorPort)
    let config: AtalayaConfig
    do {
      config = try ConfigLoader.parse(yaml: yaml, file: "<demo>", environment: env)
    } catch {
      printError("demo config invalid (a bug):\n\(error.description)")
      throw ExitCode(1)
    }

    let console = DemoConsole()
    let probing = ProbingStack()
    defer { probing.shutdown() }
    let prober = probing.prober
    let agent = Agent(
      config: config, loadConfig: { () throws(ConfigErrors) in config }, prober: prober,
      logger: logger,
      observer: { outcome, _ in console.record(outcome) })

    var runner = AgentRunner(agent: agent, logger: logger, environment: env)
    runner.onListening = { (boundPort: Int) in
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
        Ctrl-C stops.

        """)
    }
    let printer = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: config.defaults.interval)
        if Task.isCancelled { break }
        console.printRound(agent.fleet.view(at: SystemTimeSource().now()))
      }
    }
    defer { printer.cancel() }
    try await runner.run()
  }
}
