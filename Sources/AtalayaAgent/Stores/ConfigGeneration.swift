import AtalayaCore
import Synchronization

/// One validated configuration, numbered: what every service applies at start and at
/// each successful reload. Immutable; a reload publishes a new one or none.
public struct ConfigGeneration: Sendable {
  /// 1 for the configuration the agent started with, one more per successful reload.
  public let number: UInt64
  public let config: AtalayaConfig

  public init(number: UInt64, config: AtalayaConfig) {
    self.number = number
    self.config = config
  }
}

/// The generation in force, for the services that read the configuration each round
/// (rule evaluation, account polls, price refresh). Written only by the reload service.
public final class CurrentConfig: Sendable {
  private let current: Locked<ConfigGeneration>

  public init(_ generation: ConfigGeneration) { current = Locked(generation) }

  public var generation: ConfigGeneration { current.withLock { $0 } }
  public var config: AtalayaConfig { current.withLock { $0.config } }

  func publish(_ generation: ConfigGeneration) { current.withLock { $0 = generation } }
}
