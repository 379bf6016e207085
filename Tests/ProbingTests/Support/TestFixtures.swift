import AtalayaCore
import AtalayaTestSupport
import Glibc
import Probing

/// One multi loop shared by the transport tests (as in production).
let sharedLoop = CurlMultiLoop()
let sharedTransport = CurlTransport(loop: sharedLoop, userAgent: "atalaya/test")

/// A port on 127.0.0.1 where nothing listens.
func refusedPort() -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  _ = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
  }
  close(fd)
  return Int(UInt16(bigEndian: addr.sin_port))
}

/// Monotonic seconds, for elapsed-time assertions.
func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

extension String {
  var bytes: [UInt8] { Array(utf8) }
}

/// A response as the classifier sees it, built by hand.
func cannedResponse(
  status: Int, contentType: String? = "application/json", headers: [HTTPHeader] = [], body: String,
  error: TransportError? = nil
) -> HTTPResponse {
  var all = headers
  if let contentType { all.insert(HTTPHeader(name: "content-type", value: contentType), at: 0) }
  return HTTPResponse(
    status: status, headers: all, body: body.bytes, timings: PhaseTimings(total: 0.1), error: error)
}

let testStart = Timestamp(seconds: 1_800_000_000)

func provider(
  _ type: ProviderType, baseURL: String = "http://127.0.0.1:1",
  key: String? = "sk-test-0123456789abcdef",
  headers: [HeaderField] = []
) -> ProviderConfig {
  ProviderConfig(
    name: "p", type: type, baseURL: baseURL, apiKey: key.map(Secret.init), headers: headers)
}

func chat(
  _ model: String = "m", stream: Bool = false, maxTokens: Int = 8, timeout: Duration = .seconds(2)
) -> CheckConfig {
  CheckConfig(kind: .chat, model: model, maxTokens: maxTokens, stream: stream, timeout: timeout)
}

let modelsCheck = CheckConfig(kind: .models, model: CheckID.modelsCheckModel, timeout: .seconds(2))

/// Classifies a canned response the way a probe would.
func outcome(_ response: HTTPResponse, _ p: ProviderConfig, _ check: CheckConfig) -> ProbeOutcome {
  Prober.outcome(
    of: response, provider: p, check: check, startedAt: testStart, receivedAt: testStart)
}
