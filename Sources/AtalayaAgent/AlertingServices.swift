import AtalayaCore
import ServiceLifecycle

/// Evaluates the alert rules every `evaluation_interval` (read anew each round,
/// so a reload takes effect) until graceful shutdown, then saves the state.
struct AlertEvaluationService: Service {
  let agent: Agent

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do {
          try await Task.sleep(for: agent.config.alerting.evaluationInterval)
        } catch {
          return
        }
        agent.evaluateAlerts()
      }
    }
    agent.alerting.saveNow()
  }
}

/// Delivers queued notifications until shutdown; what is still owed stays in
/// the outbox for the next start.
struct AlertDeliveryService: Service {
  let agent: Agent

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await agent.alerting.deliverer.run()
    }
  }
}
