package io.qgate.engine.gateway;

/**
 * {@link TunnelNamespaceTest} with {@code workers = 1}: the pipeline threads (one worker and one
 * egress per direction) between the readers and the network or TUN, so every check (pings, the
 * 256 MiB transfers both ways, ICMP, counters, descriptors) also runs on the threaded pipeline.
 * ({@link TunnelNamespaceOuterIpv6Test} runs two workers per direction.)
 */
class TunnelNamespaceThreadedTest extends TunnelNamespaceTest {
    @Override
    int workers() {
        return 1;
    }
}
