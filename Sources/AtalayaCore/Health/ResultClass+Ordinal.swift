extension ResultClass {
  /// Position in `allCases`; used to index fixed per-result arrays. A switch, not a search
  /// of `allCases`: a scrape reads it for every result of every check.
  var ordinal: Int {
    switch self {
    case .success: 0
    case .timeout: 1
    case .dns: 2
    case .connect: 3
    case .tls: 4
    case .rateLimited: 5
    case .quotaExhausted: 6
    case .overloaded: 7
    case .auth: 8
    case .modelUnavailable: 9
    case .clientError: 10
    case .serverError: 11
    case .streamError: 12
    case .badResponse: 13
    }
  }
}
