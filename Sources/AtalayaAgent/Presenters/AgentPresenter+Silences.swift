import AtalayaCore
import Server

/// The silences API: Alertmanager's v2 shapes under /api/v1/silences. Reads are open;
/// writes need `admin_api.bearer_token` and are off (403) when none is configured.
extension AgentPresenter {
  public func renderSilences() -> EndpointResponse {
    HistoryReport.ok(silences.book.listJSON(at: time.now()))
  }

  public func renderSilence(id: String) -> EndpointResponse {
    guard let record = silences.book.record(id: id) else {
      return HistoryReport.error(404, "no silence with id \(String(id.prefix(64)))")
    }
    return HistoryReport.ok(SilenceBook.recordJSON(record, at: time.now()))
  }

  public func createSilence(body: [UInt8], authorization: String?) async -> EndpointResponse {
    if let refusal = silenceWriteRefusal(authorization) { return refusal }
    guard let json = JSONValue.parse(body) else {
      return HistoryReport.error(400, "the body is not valid JSON")
    }
    let now = time.now()
    let request: SilenceRequest
    do throws(SilenceBook.Refusal) {
      request = try SilenceRequest.parse(json, at: now)
    } catch {
      return HistoryReport.error(error.status, error.message)
    }
    return Self.answer(await silences.upsert(request, at: now)) { id in
      .members([("silenceID", .string(id))])
    }
  }

  public func expireSilence(id: String, authorization: String?) async -> EndpointResponse {
    if let refusal = silenceWriteRefusal(authorization) { return refusal }
    return Self.answer(await silences.expire(id: id, at: time.now())) { id in
      .members([("silenceID", .string(id)), ("status", .string("expired"))])
    }
  }

  /// 403 without a configured token, 401 with a wrong or missing one.
  func silenceWriteRefusal(_ authorization: String?) -> EndpointResponse? {
    guard let token = current.config.adminAPI.bearerToken else {
      return HistoryReport.error(
        403, "the silences write API is off: set admin_api.bearer_token in the config to use it")
    }
    guard BearerAuthorization.matches(authorization, token: token) else {
      return HistoryReport.error(401, "missing or wrong bearer token")
    }
    return nil
  }

  static func answer(_ change: SilenceStore.Change, _ body: (String) -> JSONValue)
    -> EndpointResponse
  {
    switch change {
    case .done(let id): return HistoryReport.ok(body(id))
    case .refused(let refusal): return HistoryReport.error(refusal.status, refusal.message)
    case .notSaved:
      return HistoryReport.error(
        500, "the silence could not be saved to state_dir (see the agent's log); nothing changed")
    }
  }
}
