import AtalayaCore
import Testing

/// Formatting never traps, whatever time a state file or a provider carries (a tampered
/// alerts.json with an absurd `activeAt` crashed GET /api/v1/alerts).
@Suite struct RFC3339FormattingTests {
  @Test(arguments: [
    (Double.infinity, "9999-12-31T23:59:59.999Z"), (1e300, "9999-12-31T23:59:59.999Z"),
    (-Double.infinity, "0001-01-01T00:00:00.000Z"), (-1e300, "0001-01-01T00:00:00.000Z"),
    (Double.nan, "1970-01-01T00:00:00.000Z"), (1_800_000_000.25, "2027-01-15T08:00:00.250Z"),
  ])
  func outOfRangeTimesAreClampedNotTrapped(_ seconds: Double, _ expected: String) {
    #expect(RFC3339.format(Timestamp(seconds: seconds)) == expected)
  }

  @Test func wholeSecondsToo() {
    #expect(RFC3339.formatWholeSeconds(Timestamp(seconds: .infinity)) == "9999-12-31T23:59:59Z")
  }
}
