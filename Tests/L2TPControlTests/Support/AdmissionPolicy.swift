import L2TPControl
import L2TPWire

/// How a test answers the endpoint's admission requests: at once, from a
/// fixed rule. (The daemon answers them itself, possibly later; the core
/// only reports `.admitTunnel` / `.admitSession` and waits.)
protocol L2TPEndpointPolicy {
    func admitTunnel(_ request: IncomingTunnelRequest) -> TunnelAdmission
    func admitSession(_ request: IncomingSessionRequest) -> SessionAdmission
}

/// Accepts everything with fixed parameters.
struct AcceptAllPolicy: L2TPEndpointPolicy {
    var tunnelParameters: TunnelParameters
    var sessionParameters: SessionParameters

    init(tunnel: TunnelParameters = TunnelParameters(), session: SessionParameters = SessionParameters()) {
        self.tunnelParameters = tunnel
        self.sessionParameters = session
    }

    func admitTunnel(_ request: IncomingTunnelRequest) -> TunnelAdmission { .accept(tunnelParameters) }

    func admitSession(_ request: IncomingSessionRequest) -> SessionAdmission { .accept(sessionParameters) }
}

extension L2TPEndpoint {
    /// `actions` with every admission request answered at once by `policy`:
    /// the requests are replaced, in place, by the actions their decisions
    /// produce (which may hold further requests, answered the same way).
    func answering(_ actions: [L2TPAction], with policy: any L2TPEndpointPolicy, now: L2TPInstant)
        -> [L2TPAction]
    {
        var result: [L2TPAction] = []
        for action in actions {
            switch action {
            case .admitTunnel(let request):
                let decided = (try? decideTunnel(request.tunnelID, policy.admitTunnel(request), now: now)) ?? []
                result += answering(decided, with: policy, now: now)
            case .admitSession(let request):
                let decided =
                    (try? decideSession(
                        tunnel: request.tunnelID, session: request.sessionID, policy.admitSession(request), now: now))
                    ?? []
                result += answering(decided, with: policy, now: now)
            default:
                result.append(action)
            }
        }
        return result
    }
}
