package io.qgate.engine.control;

import io.qgate.crypto.Backend;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.HandshakeConfig;
import java.util.Objects;

/**
 * How an {@link Endpoint} behaves.
 *
 * @param handshake our identity, trust, suites, clock and randomness
 * @param acceptUnknownPeers as responder: accept any initiator whose certificate the trust store
 *     accepts (a gateway serving many clients), creating a peer named by its subject; if false,
 *     only configured peers (refused with {@code UNEXPECTED_PEER})
 * @param aeadBackend the data-packet AEAD backend
 */
public record EndpointConfig(HandshakeConfig handshake, boolean acceptUnknownPeers, Backend aeadBackend) {
    public EndpointConfig {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(aeadBackend, "aeadBackend");
    }

    public static EndpointConfig of(HandshakeConfig handshake) {
        return new EndpointConfig(handshake, true, Aeads.defaultBackend());
    }
}
