// Schedule accuracy (issue 6, target 4): the real ProbeScheduler on ContinuousClock with
// N checks at a fixed interval, for a while; every run reports how late its start was
// against the plan. Prints one JSON object: sample count, lateness percentiles (ms), the
// earliest start and how many runs overlapped another run of the same check (must be 0).
// The scheduler coalesces as the agent's does (Agent.Settings.scheduleCoalescing, 10 ms): a
// wake-up also starts the slots of the next 10 ms, so some starts are early (negative
// lateness, at most 10 ms); the lateness percentiles count those as on time.
//
// usage: ScheduleAccuracy [checks=1000] [interval_s=10] [duration_s=30] [run_ms=2]
// Each run sleeps `run_ms` (a probe awaiting its response) so runs are in flight together.
import AtalayaCore
import Probing
import Synchronization

/// What the runs observed.
struct Observations {
  var lateness: [Duration] = []
  var running: Set<CheckID> = []
  var overlaps = 0
}

/// Shares the observations with the scheduler's run closure.
final class Recorder: Sendable {
  let state = Mutex(Observations())
}

/// Entry point: runs the scheduler and prints the JSON summary.
@main
enum ScheduleAccuracy {
  static func main() async throws {
    let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    let checks = args.count > 0 ? args[0] : 1000
    let intervalSeconds = args.count > 1 ? args[1] : 10
    let durationSeconds = args.count > 2 ? args[2] : 30
    let runMillis = args.count > 3 ? args[3] : 2

    let recorder = Recorder()
    let scheduler = ProbeScheduler(clock: ContinuousClock(), coalescing: .milliseconds(10)) {
      id, lateness in
      let overlapped = recorder.state.withLock { o in
        o.lateness.append(lateness)
        return !o.running.insert(id).inserted
      }
      if overlapped { recorder.state.withLock { $0.overlaps += 1 } }
      if runMillis > 0 { try? await Task.sleep(for: .milliseconds(runMillis)) }
      if !overlapped { recorder.state.withLock { _ = $0.running.remove(id) } }
    }

    let entries = (0..<checks).map { i in
      ScheduleEntry(
        id: CheckID(provider: "p\(i / 10)", model: "m\(i % 10)"),
        interval: .seconds(intervalSeconds),
        timeout: .seconds(5))
    }
    recorder.state.withLock {
      $0.lateness.reserveCapacity(checks * (durationSeconds / intervalSeconds + 2))
    }
    let runner = Task { await scheduler.run() }
    scheduler.apply(entries)
    try await Task.sleep(for: .seconds(durationSeconds))
    runner.cancel()
    await runner.value

    let result = recorder.state.withLock { $0 }
    let signed = result.lateness.map {
      Double($0.components.seconds) * 1e3 + Double($0.components.attoseconds) / 1e15
    }
    let earliest = signed.min() ?? .nan
    let millis = signed.map { max(0, $0) }.sorted()
    func percentile(_ p: Double) -> Double {
      guard !millis.isEmpty else { return .nan }
      let rank = Int((p * Double(millis.count)).rounded(.up)) - 1
      return millis[max(0, min(millis.count - 1, rank))]
    }
    func fmt(_ v: Double) -> String {
      v.isNaN ? "null" : String(Double(Int((v * 1000).rounded())) / 1000)
    }
    print(
      "{\"checks\": \(checks), \"interval_s\": \(intervalSeconds), \"duration_s\": \(durationSeconds), "
        + "\"samples\": \(millis.count), \"p50_ms\": \(fmt(percentile(0.5))), "
        + "\"p99_ms\": \(fmt(percentile(0.99))), \"max_ms\": \(fmt(millis.last ?? .nan)), "
        + "\"earliest_ms\": \(fmt(earliest)), "
        + "\"overlaps\": \(result.overlaps)}")
  }
}
