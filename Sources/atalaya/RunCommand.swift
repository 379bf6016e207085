import ArgumentParser
import AtalayaAgent
import AtalayaCore
import Logging

/// `atalaya run`: the long-running agent.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run the agent (under systemd: Type=notify).")

  @OptionGroup var options: ConfigOptions
  @Option(
    help:
      "Log level: trace, debug, info, notice, warning, error, critical (default $LOG_LEVEL or info)."
  )
  var logLevel: String?

  func run() async throws {
    MemoryTuning.apply()
    let env = ProcessEnvironment.current()
    _ = LogSetup.bootstrap(level: logLevel ?? env["LOG_LEVEL"])
    let status = await AgentLaunch.run(
      configPath: options.path(environment: env), environment: env,
      logger: Logger(label: "atalaya"))
    if status != 0 { throw ExitCode(status) }
  }
}
