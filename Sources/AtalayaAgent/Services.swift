import AtalayaCore
import Logging
import Probing
import ServiceLifecycle
import Systemd
import UnixSignals

/// Runs the scheduler until graceful shutdown, then stops probing and waits
/// for in-flight probes (which the transport cancels) to end.
struct SchedulerService: Service {
  let agent: Agent

  func run() async throws {
    agent.armScheduler()
    await cancelWhenGracefulShutdown {
      await agent.scheduler.run()
    }
    await agent.scheduler.stop()
  }
}

/// Runs `save` every `interval` and once more at shutdown (health state,
/// cost ledger): what is saved survives a restart, at most `interval` old after
/// a crash.
struct PeriodicSaveService: Service {
  let name: String
  let interval: Duration
  let logger: Logger
  let save: @Sendable () throws -> Void

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while true {
        do {
          try await Task.sleep(for: interval)
        } catch {
          return
        }
        saveLogging()
      }
    }
    saveLogging()
  }

  private func saveLogging() {
    do {
      try save()
    } catch {
      logger.error("could not save \(name)", metadata: ["error": "\(error)"])
    }
  }
}

/// Reloads on SIGHUP until graceful shutdown.
struct ReloadSignalService: Service {
  let agent: Agent

  func run() async throws {
    let signals = await UnixSignalsSequence(trapping: .sighup)
    await cancelWhenGracefulShutdown {
      for await _ in signals {
        _ = await agent.reload()
      }
    }
  }
}

/// Tells systemd STOPPING=1 as soon as graceful shutdown begins.
struct StoppingNotifierService: Service {
  let notifier: SystemdNotifier
  let logger: Logger

  func run() async throws {
    try? await gracefulShutdown()
    logger.info("shutting down")
    notifier.stopping()
  }
}
