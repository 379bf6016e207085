import AtalayaCore
import Logging
import Probing
import Server
import ServiceLifecycle
import Systemd

/// Wires the agent's services into one ServiceGroup and runs it until
/// SIGTERM/SIGINT: HTTP server, scheduler, persistence, watchdog, SIGHUP reload.
public struct AgentRunner {
  public var agent: Agent
  public var logger: Logger
  /// Extra services to run alongside (the demo's simulated providers).
  public var extraServices: [any Service] = []
  /// Called with the bound port once the listener is up.
  public var onListening: @Sendable (Int) async -> Void = { _ in }
  /// How long graceful shutdown may take before tasks are cancelled.
  public var shutdownGrace: Duration = .seconds(4)
  /// How often state is saved when the config has a state_dir.
  public var saveInterval: Duration = .seconds(60)
  public var environment: [String: String]

  public init(agent: Agent, logger: Logger, environment: [String: String]) {
    self.agent = agent
    self.logger = logger
    self.environment = environment
  }

  /// The state file under the configured state_dir, if any.
  public static func stateFile(for config: AtalayaConfig) -> StateFile? {
    config.stateDir.map { StateFile(path: $0 + "/state.json") }
  }

  public func run() async throws {
    let agent = self.agent
    let config = agent.config
    if let file = Self.stateFile(for: config) { agent.restore(from: file) }

    let userOnListening = onListening
    let app = AtalayaHTTPServer.makeApplication(
      endpoints: agent, listen: config.listen, logger: logger,
      onListening: { port in
        agent.markListening()
        await userOnListening(port)
      })

    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    for s in extraServices { services.append(.init(service: s)) }
    services.append(.init(service: app))
    if let file = Self.stateFile(for: config) {
      services.append(
        .init(
          service: PeriodicSaveService(
            name: "health state \(file.path)", interval: saveInterval, logger: logger,
            save: { try agent.save(to: file) })))
    }
    services.append(contentsOf: costServices(config))
    // Delivery before evaluation: on shutdown the evaluation stops (and saves) first.
    services.append(.init(service: AlertDeliveryService(agent: agent)))
    services.append(.init(service: SchedulerService(agent: agent)))
    services.append(.init(service: AlertEvaluationService(agent: agent)))
    if let interval = SystemdNotifier.watchdogInterval(environment: environment) {
      logger.info("systemd watchdog enabled", metadata: ["interval": "\(interval)"])
      let scheduler = agent.scheduler
      let maxSilence = max(interval / 2, .seconds(3))
      services.append(
        .init(
          service: WatchdogService(
            notifier: agent.notifier, interval: interval,
            isProgressing: { scheduler.isProgressing(maxSilence: maxSilence) })))
    }
    services.append(.init(service: ReloadSignalService(agent: agent)))
    services.append(
      .init(service: StoppingNotifierService(notifier: agent.notifier, logger: logger)))

    var groupConfig = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfig.maximumGracefulShutdownDuration = shutdownGrace
    groupConfig.maximumCancellationDuration = .milliseconds(500)
    try await ServiceGroup(configuration: groupConfig).run()
  }
}
