import AtalayaCore
import Glibc

/// The history's memory per check with 30 days of probes: `N` checks probed every 30 s for
/// 30 days (simulated, no waiting), measured as the resident memory it added (RSS from
/// /proc/self/statm, allocator overhead included) and as the buckets' own size. Prints one
/// JSON line.
@main
struct HistoryMemory {
  static func main() {
    let args = CommandLine.arguments
    let checks = args.count > 1 ? Int(args[1]) ?? 200 : 200
    let days = args.count > 2 ? Int(args[2]) ?? 30 : 30
    let config = AtalayaConfig(
      providers: (0..<checks / 10).map { p in
        ProviderConfig(
          name: "p\(p)", baseURL: "http://127.0.0.1:1",
          checks: (0..<10).map { CheckConfig(model: "model-\($0)") })
      },
      slos: [SLOConfig(name: "all", target: 0.995)])
    let before = residentBytes()
    var history = FleetHistory(config: config)
    let start = Timestamp(seconds: 1_800_000_000)
    let probes = days * 86_400 / 30
    let ids = config.allChecks.map { $0.check.id(provider: $0.provider.name) }
    for i in 0..<probes {
      let t = start + .seconds(i * 30)
      for (k, id) in ids.enumerated() {
        let ok = (i + k) % 97 != 0
        history.record(
          ProbeOutcome(
            check: id, result: ok ? .success : .serverError, startedAt: t,
            timings: PhaseTimings(total: 0.2 + Double((i + k) % 13) / 100)))
      }
    }
    let after = residentBytes()
    let now = start + .seconds(probes * 30)
    let slo = history.sloStatuses(at: now)[0]
    let heap = Double(after - before) / Double(ids.count)
    let storage = Double(history.storageBytes) / Double(ids.count)
    print(
      "{\"checks\": \(ids.count), \"days\": \(days), \"resident_bytes_per_check\": \(Int(heap)), "
        + "\"storage_bytes_per_check\": \(Int(storage)), "
        + "\"budget_remaining\": \(slo.errorBudgetRemaining ?? -99)}")
  }
}

/// Resident bytes of this process (/proc/self/statm, second field, in pages).
func residentBytes() -> Int {
  let fd = open("/proc/self/statm", O_RDONLY)
  guard fd >= 0 else { return 0 }
  defer { close(fd) }
  var buffer = [UInt8](repeating: 0, count: 256)
  let n = read(fd, &buffer, buffer.count)
  guard n > 0 else { return 0 }
  let fields = String(decoding: buffer[..<n], as: UTF8.self).split(separator: " ")
  guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
