package io.qgate.engine.gateway;

/**
 * {@link TunnelNamespaceTest} between a gateway with TUN offloads ({@code a}) and one without
 * ({@code b}): what one side's TUN hands over whole reaches the other as ordinary packets, so the
 * two settings work together and the transfer arrives intact.
 */
class TunnelNamespaceMixedOffloadTest extends TunnelNamespaceTest {
    @Override
    boolean offload(String side) {
        return side.equals("a");
    }
}
