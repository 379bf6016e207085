import AtalayaCore
import HTTPClient
import Probing

/// The libcurl loop, transport and prober the commands share: one multi handle
/// per process.
public struct ProbingStack: Sendable {
  public let loop: CurlMultiLoop
  public let transport: CurlTransport
  public let prober: Prober

  public init(timeSource: any TimeSource = SystemTimeSource()) {
    let userAgent = "atalaya/\(AtalayaVersion.current)"
    loop = CurlMultiLoop()
    transport = CurlTransport(loop: loop, userAgent: userAgent)
    prober = Prober(transport: transport, timeSource: timeSource, userAgent: userAgent)
  }

  /// Stops the curl thread (in-flight transfers end as cancelled).
  public func shutdown() { loop.shutdown() }
}
