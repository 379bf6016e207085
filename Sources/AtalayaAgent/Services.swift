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

/// Saves health state every `interval` and once more at shutdown.
struct PersistenceService: Service {
  let agent: Agent
  let file: StateFile
  let interval: Duration
  let logger: Logger

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while true {
        do {
          try await Task.sleep(for: interval)
        } catch {
          return
        }
        save()
      }
    }
    save()
  }

  private func save() {
    do {
      try agent.save(to: file)
    } catch {
      logger.error("could not save state", metadata: ["path": "\(file.path)", "error": "\(error)"])
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
