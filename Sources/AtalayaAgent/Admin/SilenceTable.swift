import AtalayaCore

/// `atalaya silence list`: one row per silence, as amtool prints them.
public enum SilenceTable {
  public static func render(_ records: [SilenceRecord], at now: Timestamp) -> String {
    var rows = [["ID", "STATE", "MATCHERS", "STARTS", "ENDS", "CREATED BY", "COMMENT"]]
    for r in records {
      rows.append([
        TerminalText.safe(r.id), r.state(at: now).rawValue,
        TerminalText.safe(r.matchers.map(\.description).joined(separator: " ")),
        RFC3339.formatWholeSeconds(r.startsAt), RFC3339.formatWholeSeconds(r.endsAt),
        TerminalText.safe(r.createdBy), TerminalText.safe(String(r.comment.prefix(60))),
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
      }.joined()
    }.joined(separator: "\n")
  }
}
