import AtalayaCore
import Logging
import Probing
import Storage
import Systemd

#if canImport(Glibc)
  import Glibc
#endif

/// What `atalaya run` and `atalaya probe` do behind their argument parsing.
public enum AgentLaunch {
  /// Reads and validates the config file off the cooperative pool.
  public static func loadConfig(path: String, environment: [String: String])
    async throws(ConfigErrors) -> AtalayaConfig
  {
    let loaded: Result<AtalayaConfig, ConfigErrors> = await BlockingIO.shared.run {
      do throws(ConfigErrors) {
        return .success(try ConfigLoader.load(path: path, environment: environment))
      } catch {
        return .failure(error)
      }
    }
    return try loaded.get()
  }

  /// Signals whose default action is to end the process but that mean nothing to the
  /// agent: ignored, so a stray `kill -USR1` cannot stop it without its shutdown save.
  /// SIGHUP too until the reload handler traps it. SIGTERM and SIGINT stop it gracefully.
  public static let ignoredSignals: [Int32] = [SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGPWR, SIGPIPE]

  /// Ignores ``ignoredSignals``; call before anything else starts.
  public static func ignoreStraySignals() {
    for s in ignoredSignals { signal(s, SIG_IGN) }
  }

  /// `atalaya run`: the long-running agent on the real clock, until SIGTERM or SIGINT.
  /// Returns the process exit status.
  public static func run(configPath path: String, environment env: [String: String], logger: Logger)
    async -> Int32
  {
    ignoreStraySignals()
    let config: AtalayaConfig
    do {
      config = try await loadConfig(path: path, environment: env)
    } catch {
      logger.critical("invalid configuration\n\(error.description)")
      return 1
    }
    let probing = ProbingStack()
    defer { probing.shutdown() }
    var settings = Agent<ContinuousClock>.Settings(
      configSource: { () throws(ConfigErrors) in
        try ConfigLoader.load(path: path, environment: env)
      },
      environment: env, clock: ContinuousClock(), time: SystemTimeSource(),
      prober: probing.prober, notifier: SystemdNotifier(environment: env), logger: logger)
    settings.handlesSignals = true
    if let release = StartupPages.enabled(environment: env) {
      settings.releasesStartupPages = release
    } else {
      logger.warning(
        "\(StartupPages.environmentKey) is neither 0/off/false/no nor 1/on/true/yes; start-up pages are released (the default)"
      )
      settings.releasesStartupPages = true
    }
    let agent = await Agent.make(config: config, settings: settings)
    logger.info(
      "starting",
      metadata: [
        "version": "\(AtalayaVersion.current)", "config": "\(path)", "listen": "\(config.listen)",
        "providers": "\(config.providers.count)", "checks": "\(config.allChecks.count)",
      ])
    do {
      try await agent.run()
    } catch {
      logger.critical("the agent stopped on an error", metadata: ["error": "\(error)"])
      return 1
    }
    logger.info("stopped")
    return 0
  }

  /// `atalaya probe`: every selected check once, concurrently; outcomes in check order.
  public static func probeOnce(
    _ checks: [(provider: ProviderConfig, check: CheckConfig)], prober: Prober
  ) async -> [ProbeOutcome] {
    await withTaskGroup(of: (Int, ProbeOutcome?).self) { group in
      for (i, pc) in checks.enumerated() {
        group.addTask { (i, await prober.probe(provider: pc.provider, check: pc.check)) }
      }
      var results = [ProbeOutcome?](repeating: nil, count: checks.count)
      for await (i, o) in group { results[i] = o }
      return results.compactMap { $0 }
    }
  }
}
