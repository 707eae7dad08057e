package io.qgate.engine.control;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A configured peer.
 *
 * @param name how logs and events name it
 * @param expectedSubject the subject its certificate must carry; {@code null} accepts any gateway
 *     certificate the trust store accepts (initiator side only)
 * @param endpoint where to send initiations, or {@code null} if we only ever respond to it
 */
public record PeerConfig(String name, String expectedSubject, InetSocketAddress endpoint) {
    public PeerConfig {
        Objects.requireNonNull(name, "name");
    }
}
