import ArgumentParser
import AtalayaAgent
import AtalayaDemo
import Logging

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
    do {
      try await DemoLaunch.run(port: port, environment: env, logger: Logger(label: "atalaya"))
    } catch let failure as DemoLaunch.Failure {
      printError(failure.description)
      throw ExitCode(1)
    }
  }
}
