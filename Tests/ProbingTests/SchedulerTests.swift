import AtalayaCore
import AtalayaTestSupport
import Synchronization
import Testing

@testable import Probing

/// Records what the scheduler ran, in order.
private final class RunLog: Sendable {
  struct Event: Sendable {
    var id: CheckID
    var at: Duration
    var lateness: Duration
  }
  let events = Locked<[Event]>([])
  let running = Locked<[CheckID: Int]>([:])
  let maxConcurrent = Locked<Int>(0)

  func count(_ id: CheckID) -> Int { events.withLock { $0.filter { $0.id == id }.count } }
  func times(_ id: CheckID) -> [Duration] {
    events.withLock { $0.filter { $0.id == id }.map(\.at) }
  }
}

private func entry(_ model: String, every interval: Duration, timeout: Duration = .seconds(1))
  -> ScheduleEntry
{
  ScheduleEntry(id: CheckID(provider: "p", model: model), interval: interval, timeout: timeout)
}

/// Two checks at 1 s whose slots are 1–9 ms apart (the first after 20 ms, so the scheduler's
/// first wake-up at its start does not reach them).
private func checksAFewMillisecondsApart() -> (ScheduleEntry, ScheduleEntry) {
  let sorted = (0..<2000).map { entry("m\($0)", every: .seconds(1)) }
    .sorted { $0.phaseOffset < $1.phaseOffset }
  return zip(sorted, sorted.dropFirst()).first { pair in
    let gap = pair.1.phaseOffset - pair.0.phaseOffset
    return pair.0.phaseOffset > .milliseconds(20) && gap >= .milliseconds(1)
      && gap < .milliseconds(9)
  }!
}

@Suite("ProbeScheduler")
struct SchedulerTests {
  @Test func phaseOffsetsAreStableAndSpread() {
    let entries = (0..<100).map { entry("m\($0)", every: .seconds(10)) }
    let offsets = entries.map(\.phaseOffset)
    #expect(offsets == entries.map(\.phaseOffset))
    #expect(offsets.allSatisfy { $0 >= .zero && $0 < .seconds(10) })
    // Spread: every 1 s tenth of the interval holds some checks, none holds most.
    var perSecond = [Int](repeating: 0, count: 10)
    for o in offsets { perSecond[Int(o.seconds)] += 1 }
    #expect(perSecond.allSatisfy { $0 > 0 && $0 < 30 })
  }

  @Test func runsEachCheckOncePerIntervalAtItsSlot() async {
    let clock = ManualClock()
    let log = RunLog()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, lateness in
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: lateness)) }
    }
    let e = entry("a", every: .seconds(10))
    scheduler.apply([e])
    async let running: Void = scheduler.run()
    // Sleepers: the tick and the timer loop's alarm.
    for _ in 0..<50 {
      await clock.waitForSleepers(2)
      clock.advance(by: .seconds(1))
    }
    await clock.waitForSleepers(2)
    let times = log.times(e.id)
    #expect(times.count == 5)
    // Each run starts on its planned slot: offset + k * interval, rounded up to the 1 s steps.
    for (k, t) in times.enumerated() {
      let planned = e.phaseOffset + .seconds(10) * k
      #expect(t >= planned && t < planned + .seconds(1))
    }
    await scheduler.stop()
    await running
  }

  /// With coalescing, a wake-up also starts the checks due just after it: two checks a few
  /// milliseconds apart start together, at the earlier slot, every interval — and the later
  /// one keeps its slot (it runs once per interval, never twice for one slot).
  @Test func coalescingStartsSlotsJustAfterAWakeUpWithIt() async {
    let (a, b) = checksAFewMillisecondsApart()
    let gap = b.phaseOffset - a.phaseOffset
    let clock = ManualClock()
    let log = RunLog()
    let scheduler = ProbeScheduler(
      clock: clock, tickInterval: .seconds(3600), coalescing: .milliseconds(10)
    ) { id, lateness in
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: lateness)) }
    }
    scheduler.apply([a, b])
    async let running: Void = scheduler.run()
    for k in 0..<5 {
      await clock.waitForSleepers(2)  // the tick and the timer loop
      clock.advance(by: a.phaseOffset + .seconds(1) * k - clock.now.offset)
      while log.count(b.id) < k + 1 || scheduler.inFlightCount > 0 { await Task.yield() }
    }
    let starts = (0..<5).map { a.phaseOffset + .seconds(1) * $0 }
    #expect(log.times(a.id) == starts)
    #expect(log.times(b.id) == starts)
    #expect(
      log.events.withLock { $0.filter { $0.id == b.id }.map(\.lateness) }
        == Array(repeating: .zero - gap, count: 5))
    await scheduler.stop()
    await running
  }

  /// Without coalescing (the default), each check starts at its own slot.
  @Test func withoutCoalescingEachCheckStartsAtItsSlot() async {
    let (a, b) = checksAFewMillisecondsApart()
    let clock = ManualClock()
    let log = RunLog()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, lateness in
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: lateness)) }
    }
    scheduler.apply([a, b])
    async let running: Void = scheduler.run()
    await clock.waitForSleepers(2)
    clock.advance(by: a.phaseOffset)
    while log.count(a.id) < 1 || scheduler.inFlightCount > 0 { await Task.yield() }
    await clock.waitForSleepers(2)
    #expect(log.count(b.id) == 0)
    clock.advance(by: b.phaseOffset - a.phaseOffset)
    while log.count(b.id) < 1 { await Task.yield() }
    #expect(log.times(b.id) == [b.phaseOffset])
    await scheduler.stop()
    await running
  }

  @Test func neverRunsOneCheckTwiceAtOnceAndSkipsMissedSlots() async {
    let clock = ManualClock()
    let log = RunLog()
    let gate = AsyncGate()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      let n = log.running.withLock { r -> Int in
        r[id, default: 0] += 1
        return r[id]!
      }
      log.maxConcurrent.withLock { $0 = max($0, n) }
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: .zero)) }
      await gate.wait()
      log.running.withLock { $0[id, default: 0] -= 1 }
    }
    let e = entry("slow", every: .seconds(1))
    scheduler.apply([e])
    async let running: Void = scheduler.run()
    await clock.waitForSleepers(2)
    clock.advance(by: .seconds(1))  // first run starts and blocks
    while log.count(e.id) == 0 { await Task.yield() }
    clock.advance(by: .seconds(5))  // five slots pass while it runs
    await gate.open()
    await clock.waitForSleepers(2)
    #expect(log.count(e.id) == 1)
    #expect(log.maxConcurrent.withLock { $0 } == 1)
    // The next run happens at the next slot after the overrun, not five times.
    clock.advance(by: .seconds(1))
    while log.count(e.id) < 2 { await Task.yield() }
    await clock.waitForSleepers(2)
    #expect(log.count(e.id) == 2)
    await scheduler.stop()
    await running
  }

  @Test func applyKeepsUnchangedChecksAndRemovesOthers() async {
    let clock = ManualClock()
    let log = RunLog()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: .zero)) }
    }
    let a = entry("a", every: .seconds(2))
    let b = entry("b", every: .seconds(2))
    let c = entry("c", every: .seconds(2))
    scheduler.apply([a, b])
    async let running: Void = scheduler.run()
    await clock.waitForSleepers(2)
    scheduler.apply([a, c])
    await clock.waitForSleepers(2)
    #expect(scheduler.entries.map(\.id.model) == ["a", "c"])
    for _ in 0..<10 {
      await clock.waitForSleepers(2)
      clock.advance(by: .milliseconds(500))
    }
    await clock.waitForSleepers(2)
    #expect(log.count(b.id) == 0)
    #expect(log.count(a.id) >= 2)
    #expect(log.count(c.id) >= 2)
    await scheduler.stop()
    await running
    #expect(clock.sleeperCount == 0)
  }

  @Test func progressFailsWhenARunIsStuckOrTheTickStops() async {
    let clock = ManualClock()
    let gate = AsyncGate()
    let started = Locked(false)
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(1)) { _, _ in
      started.withLock { $0 = true }
      await gate.wait()
    }
    let ticker = Task { await scheduler.run() }
    scheduler.apply([entry("x", every: .seconds(5), timeout: .seconds(2))])
    await clock.waitForSleepers(2)
    #expect(scheduler.isProgressing(maxSilence: .seconds(3)))
    clock.advance(by: .seconds(5))
    while !started.withLock({ $0 }) { await Task.yield() }
    #expect(scheduler.isProgressing(maxSilence: .seconds(3)))
    // The run hangs past timeout + grace while the tick keeps going.
    for _ in 0..<9 {
      await clock.waitForSleepers(1)
      clock.advance(by: .seconds(1))
    }
    await clock.waitForSleepers(1)
    #expect(!scheduler.isProgressing(maxSilence: .seconds(3), stuckGrace: .seconds(5)))
    await gate.open()
    ticker.cancel()
    await ticker.value
  }

  /// Every check is a child task of `run()`: nothing runs before it, nothing outlives it,
  /// and stopping cancels the run in flight.
  @Test func checksRunOnlyInsideRunAndEndWithIt() async {
    let clock = ManualClock()
    let started = EventLog<CheckID>()
    let cancelled = EventLog<CheckID>()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      started.append(id)
      try? await Task.sleep(for: .seconds(3600))
      if Task.isCancelled { cancelled.append(id) }
    }
    scheduler.apply([entry("a", every: .seconds(1))])
    #expect(clock.sleeperCount == 0)
    async let running: Void = scheduler.run()
    await clock.waitForSleepers(2)
    clock.advance(by: .seconds(1))
    await started.wait(count: 1)
    await scheduler.stop()
    await running
    #expect(cancelled.count == 1)
    #expect(clock.sleeperCount == 0)
  }

  /// Idle checks cost a table entry, not a task: a hundred checks share the tick and one
  /// alarm, and each still runs once per interval.
  @Test func manyChecksShareOneAlarm() async {
    let clock = ManualClock()
    let log = RunLog()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: .zero)) }
    }
    let entries = (0..<100).map { entry("m\($0)", every: .seconds(10)) }
    scheduler.apply(entries)
    async let running: Void = scheduler.run()
    for _ in 0..<20 {
      await clock.waitForSleepers(2)
      #expect(clock.sleeperCount == 2)
      clock.advance(by: .seconds(1))
    }
    await clock.waitForSleepers(2)
    for e in entries { #expect(log.count(e.id) == 2, "\(e.id)") }
    #expect(scheduler.inFlightCount == 0)
    await scheduler.stop()
    await running
    #expect(clock.sleeperCount == 0)
  }

  /// A check added with a slot earlier than the armed alarm runs at its own slot (the
  /// clock never moves past it: a scheduler that kept the old alarm would never run it).
  @Test(.timeLimit(.minutes(1))) func anEarlierSlotFromApplyRearmsTheAlarm() async {
    let clock = ManualClock()
    let runs = EventLog<(CheckID, Duration)>()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      runs.append((id, clock.now.offset))
    }
    // Two checks whose first slots are far apart: the later one alone first.
    let candidates = (0..<50).map { entry("c\($0)", every: .seconds(60)) }
    let late = candidates.max { $0.phaseOffset < $1.phaseOffset }!
    let early = candidates.min { $0.phaseOffset < $1.phaseOffset }!
    #expect(late.phaseOffset - early.phaseOffset > .seconds(10))
    scheduler.apply([late])
    async let running: Void = scheduler.run()
    await clock.waitForSleepers(2)
    scheduler.apply([late, early])
    clock.advance(by: early.phaseOffset)
    let first = await runs.wait(count: 1)[0]
    #expect(first.0 == early.id)
    #expect(first.1 == early.phaseOffset)
    await scheduler.stop()
    await running
  }

  /// Removing a check cancels its run in flight; changing one waits for the old run to end
  /// before the new one starts, so two runs of one check never overlap.
  @Test func reloadsCancelOrWaitForTheRunInFlight() async {
    let clock = ManualClock()
    let log = RunLog()
    let cancelled = EventLog<CheckID>()
    let gate = AsyncGate()
    let scheduler = ProbeScheduler(clock: clock, tickInterval: .seconds(3600)) { id, _ in
      let n = log.running.withLock { r -> Int in
        r[id, default: 0] += 1
        return r[id]!
      }
      log.maxConcurrent.withLock { $0 = max($0, n) }
      log.events.withLock { $0.append(.init(id: id, at: clock.now.offset, lateness: .zero)) }
      if id.model == "gone" {
        try? await Task.sleep(for: .seconds(3600))
        if Task.isCancelled { cancelled.append(id) }
      } else if log.count(id) == 1 {
        await gate.wait()
      }
      log.running.withLock { $0[id, default: 0] -= 1 }
    }
    let gone = entry("gone", every: .seconds(1))
    let kept = entry("kept", every: .seconds(1))
    scheduler.apply([gone, kept])
    async let loop: Void = scheduler.run()
    await clock.waitForSleepers(2)
    clock.advance(by: .seconds(1))
    while log.count(gone.id) + log.count(kept.id) < 2 { await Task.yield() }
    // Remove one (its run is cancelled) and change the other (its run goes on).
    let changed = entry("kept", every: .seconds(2))
    scheduler.apply([changed])
    _ = await cancelled.wait(count: 1)
    clock.advance(by: .seconds(4))
    #expect(log.count(kept.id) == 1)
    await gate.open()
    await clock.waitForSleepers(2)
    clock.advance(by: .seconds(2))
    while log.count(kept.id) < 2 { await Task.yield() }
    #expect(log.maxConcurrent.withLock { $0 } == 1)
    #expect(log.count(gone.id) == 1)
    await scheduler.stop()
    await loop
  }
}
