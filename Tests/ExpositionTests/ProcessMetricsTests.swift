import Exposition
import Glibc
import Testing

@Suite struct ProcessMetricsTests {
  @Test func snapshotIsSane() {
    let snapshot = ProcessMetrics.collect()
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let nowSeconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9

    #expect(snapshot.residentMemoryBytes > 1_000_000)
    #expect(snapshot.virtualMemoryBytes >= snapshot.residentMemoryBytes)
    #expect(snapshot.cpuSecondsTotal > 0)
    #expect(snapshot.openFDs >= 3)
    #expect(snapshot.maxFDs >= snapshot.openFDs)
    #expect(snapshot.startTimeSeconds <= nowSeconds + 1)
    #expect(snapshot.startTimeSeconds > nowSeconds - 3600)
  }

  @Test func countsDescriptorsWeHold() {
    // An absolute bound, not a delta: other tests open and close files concurrently.
    let fds = (0..<200).map { _ in open("/proc/self/stat", O_RDONLY) }
    defer { for fd in fds where fd >= 0 { close(fd) } }
    #expect(fds.allSatisfy { $0 >= 0 })
    #expect(ProcessMetrics.collect().openFDs >= 200)
  }

  @Test func writesTheSixProcessFamilies() {
    var writer = ExpositionWriter()
    let snapshot = ProcessMetricsSnapshot(
      residentMemoryBytes: 1_048_576, virtualMemoryBytes: 4_194_304, cpuSecondsTotal: 1.25,
      openFDs: 12, maxFDs: 1024, startTimeSeconds: 1_800_000_000.5)
    ProcessMetrics.write(snapshot, into: &writer)
    let samples = writer.text.split(separator: "\n").filter { !$0.hasPrefix("#") }
    #expect(
      samples == [
        "process_resident_memory_bytes 1048576",
        "process_virtual_memory_bytes 4194304",
        "process_cpu_seconds_total 1.25",
        "process_open_fds 12",
        "process_max_fds 1024",
        "process_start_time_seconds 1800000000.5",
      ])
  }
}
