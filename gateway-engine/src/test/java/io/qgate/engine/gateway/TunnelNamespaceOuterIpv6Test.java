package io.qgate.engine.gateway;

/**
 * {@link TunnelNamespaceTest} with the gateways talking over IPv6 (outer IPv6, inner IPv4 and
 * IPv6) and two crypto workers per direction, so batches are sealed and opened in parallel and
 * the in-order egress is what keeps the 256 MiB transfer's bytes in order.
 */
class TunnelNamespaceOuterIpv6Test extends TunnelNamespaceTest {
    @Override
    boolean outerV6() {
        return true;
    }

    @Override
    int workers() {
        return 2;
    }
}
