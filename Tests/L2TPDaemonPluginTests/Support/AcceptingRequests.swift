@testable import L2TPDaemon

extension ControlEngine {
    /// `outputs` with every admission request accepted at once with default
    /// settings: each `.tunnelRequested` / `.sessionRequested` is replaced by
    /// what its decision produces (the daemon does the same at the end of
    /// its batch, after its limits and plugins).
    func acceptingRequests(_ outputs: [EngineOutput], now: UInt64) -> [EngineOutput] {
        outputs.flatMap { output -> [EngineOutput] in
            switch output {
            case .event(.tunnelRequested(let request)):
                return acceptingRequests(decideTunnel(request.tunnelID, .accept(TunnelSettings()), now: now), now: now)
            case .event(.sessionRequested(let request)):
                return acceptingRequests(
                    decideSession(request.sessionID, in: request.tunnelID, .accept(SessionSettings()), now: now),
                    now: now)
            default:
                return [output]
            }
        }
    }
}
