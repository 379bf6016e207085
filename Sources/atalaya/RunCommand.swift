import ArgumentParser
import AtalayaAgent
import AtalayaCore
import Logging

#if canImport(Glibc)
  import Glibc
#endif

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
    // A SIGHUP before the reload handler is installed must not kill the agent.
    signal(SIGHUP, SIG_IGN)
    let env = ProcessEnvironment.current()
    _ = LogSetup.bootstrap(level: logLevel ?? env["LOG_LEVEL"])
    let logger = Logger(label: "atalaya")
    let path = options.path(environment: env)
    let config: AtalayaConfig
    do {
      config = try ConfigLoader.load(path: path, environment: env)
    } catch {
      logger.critical("invalid configuration\n\(error.description)")
      throw ExitCode(1)
    }
    let probing = ProbingStack()
    defer { probing.shutdown() }
    let prober = probing.prober
    let agent = Agent(
      config: config,
      loadConfig: { () throws(ConfigErrors) in
        try ConfigLoader.load(path: path, environment: ProcessEnvironment.current())
      },
      prober: prober, logger: logger)
    logger.info(
      "starting",
      metadata: [
        "version": "\(AtalayaVersion.current)", "config": "\(path)", "listen": "\(config.listen)",
        "providers": "\(config.providers.count)", "checks": "\(config.allChecks.count)",
      ])
    try await AgentRunner(agent: agent, logger: logger, environment: env).run()
    logger.info("stopped")
  }
}
