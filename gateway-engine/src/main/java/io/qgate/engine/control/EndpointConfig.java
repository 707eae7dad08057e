package io.qgate.engine.control;

import io.qgate.crypto.aead.AeadBackends;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import java.util.Objects;

/**
 * How an {@link Endpoint} behaves.
 *
 * @param handshake our identity, trust, suites, clock and randomness
 * @param acceptUnknownPeers as responder: accept any initiator whose certificate the trust store
 *     accepts (a gateway serving many clients), creating a peer named by its subject; if false,
 *     only configured peers (refused with {@code UNEXPECTED_PEER})
 * @param aeadBackends the data-packet AEAD backend for each suite's algorithm
 * @param dataWorkers how many data-plane threads seal and open besides the endpoint's own thread:
 *     each keypair gets worker ids {@code 1..dataWorkers} for them (id 0 is the endpoint's)
 * @param rekeyAfterNanos how old a session key this endpoint negotiated as initiator may grow
 *     before sending on it starts a rekey: at most the protocol's {@code REKEY_AFTER_TIME} (120 s),
 *     at least {@link #MIN_REKEY_AFTER} (5 s). The responder's own limit, and the rejection of keys
 *     older than {@code REJECT_AFTER_TIME}, stay the protocol's.
 */
public record EndpointConfig(HandshakeConfig handshake, boolean acceptUnknownPeers, AeadBackends aeadBackends,
        int dataWorkers, long rekeyAfterNanos) {
    /** The shortest rekey interval, {@link Protocol#MIN_REKEY_AFTER_TIME}. */
    public static final long MIN_REKEY_AFTER = Protocol.MIN_REKEY_AFTER_TIME;

    public EndpointConfig {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(aeadBackends, "aeadBackends");
        if (dataWorkers < 0 || dataWorkers >= io.qgate.engine.session.Keypair.MAX_WORKERS) {
            throw new IllegalArgumentException("dataWorkers " + dataWorkers + " is outside 0.."
                + (io.qgate.engine.session.Keypair.MAX_WORKERS - 1));
        }
        if (rekeyAfterNanos < MIN_REKEY_AFTER || rekeyAfterNanos > Protocol.REKEY_AFTER_TIME) {
            throw new IllegalArgumentException("rekeyAfterNanos " + rekeyAfterNanos + " is outside " + MIN_REKEY_AFTER + ".."
                + Protocol.REKEY_AFTER_TIME);
        }
    }

    /** An endpoint that rekeys at the protocol's {@code REKEY_AFTER_TIME}. */
    public EndpointConfig(HandshakeConfig handshake, boolean acceptUnknownPeers, AeadBackends aeadBackends, int dataWorkers) {
        this(handshake, acceptUnknownPeers, aeadBackends, dataWorkers, Protocol.REKEY_AFTER_TIME);
    }

    /** An endpoint with no separate data-plane threads (it seals and opens everything itself). */
    public EndpointConfig(HandshakeConfig handshake, boolean acceptUnknownPeers, AeadBackends aeadBackends) {
        this(handshake, acceptUnknownPeers, aeadBackends, 0);
    }

    public static EndpointConfig of(HandshakeConfig handshake) {
        return new EndpointConfig(handshake, true, Aeads.defaultBackends());
    }
}
