import AtalayaCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON document of GET /api/v1/status. Field names are snake_case and
/// stable; times are RFC 3339 UTC; latencies are milliseconds. Error messages
/// come from probe outcomes, which are redacted when they are made.
struct StatusReport: Encodable {
    struct LastError: Encodable {
        var `class`: String
        var message: String?
        var http_status: Int?
        var at: String
    }

    struct Check: Encodable {
        var model: String
        var kind: String
        var healthy: Bool
        var circuit_state: String
        var last_result: String?
        var last_http_status: Int?
        var last_probe_at: String?
        var success_ratio: Double?
        var latency_p95_ms: Double?
        var ttft_p95_ms: Double?
        var probes_in_window: Int
    }

    struct Provider: Encodable {
        var name: String
        var type: String
        var status: String
        var uptime: Double?
        var error_rate: Double?
        var latency_avg_ms: Double?
        var latency_p95_ms: Double?
        var circuit_state: String
        var last_error: LastError?
        var checks: [Check]
    }

    var status: String
    var generated_at: String
    var started_at: String
    var window_seconds: Double
    var summary: String
    var providers: [Provider]

    init(view: FleetView, startedAt: Timestamp, window: Duration) {
        status = view.overall.rawValue
        generated_at = RFC3339.format(view.at)
        started_at = RFC3339.format(startedAt)
        window_seconds = window.seconds
        summary = view.statusLine()
        providers = view.providers.map(Self.provider)
    }

    static func ms(_ seconds: Double?) -> Double? {
        seconds.map { ($0 * 1000 * 10).rounded() / 10 }
    }

    static func provider(_ p: ProviderView) -> Provider {
        var counted = 0
        var successes = 0
        var latencySum = 0.0
        var latencyCount = 0
        var worstP95: Double?
        for c in p.checks {
            if let ratio = c.stats.successRatio {
                let n = c.stats.countedProbes
                counted += n
                successes += Int((ratio * Double(n)).rounded())
            }
            if let mean = c.stats.meanLatency {
                latencySum += mean * Double(c.stats.successes)
                latencyCount += c.stats.successes
            }
            if let p95 = c.stats.p95 { worstP95 = max(worstP95 ?? 0, p95) }
        }
        let uptime = counted > 0 ? Double(successes) / Double(counted) : nil
        let circuit: CircuitState =
            p.checks.contains { $0.circuit == .open }
            ? .open : p.checks.contains { $0.circuit == .halfOpen } ? .halfOpen : .closed
        let lastError = p.checks.compactMap(\.lastError).max { $0.startedAt < $1.startedAt }
        return Provider(
            name: p.name,
            type: p.config.type.rawValue,
            status: p.status.rawValue,
            uptime: uptime,
            error_rate: uptime.map { 1 - $0 },
            latency_avg_ms: latencyCount > 0 ? ms(latencySum / Double(latencyCount)) : nil,
            latency_p95_ms: ms(worstP95),
            circuit_state: circuit.rawValue,
            last_error: lastError.map {
                LastError(
                    class: $0.result.rawValue, message: $0.message, http_status: $0.httpStatus,
                    at: RFC3339.format($0.startedAt))
            },
            checks: p.checks.map { c in
                let last = c.health.lastOutcome
                return Check(
                    model: c.id.model,
                    kind: c.check.kind.rawValue,
                    healthy: c.isHealthy(),
                    circuit_state: c.circuit.rawValue,
                    last_result: last?.result.rawValue,
                    last_http_status: last?.httpStatus,
                    last_probe_at: last.map { RFC3339.format($0.startedAt) },
                    success_ratio: c.stats.successRatio,
                    latency_p95_ms: ms(c.stats.p95),
                    ttft_p95_ms: ms(c.stats.ttftP95),
                    probes_in_window: c.stats.total
                )
            }
        )
    }

    func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return Array(#"{"status":"unknown"}"#.utf8) }
        return Array(data)
    }
}
