package io.qgate.ffm.linux;

/**
 * How {@link UdpSocket#open} sets up a socket.
 *
 * @param reusePort set {@code SO_REUSEPORT} so that several sockets (one per I/O thread) can bind
 *     the same address and port, the kernel spreading flows between them
 * @param receiveBufferBytes the receive buffer to ask for, 0 for the kernel default; forced past
 *     {@code net.core.rmem_max} with {@code SO_RCVBUFFORCE} when the process has
 *     {@code CAP_NET_ADMIN}, else capped there by {@code SO_RCVBUF}
 * @param sendBufferBytes the same for the send buffer ({@code SO_SNDBUFFORCE}, {@code SO_SNDBUF})
 * @param gso use UDP generic segmentation offload on send when the kernel has it
 *     ({@code UDP_SEGMENT}, Linux 4.18+); {@link UdpSocket#gso()} says whether it does
 * @param gro ask the kernel to coalesce received datagrams of one flow ({@code UDP_GRO}, Linux
 *     5.0+); {@link UdpSocket#gro()} says whether it accepted
 */
public record UdpOptions(boolean reusePort, int receiveBufferBytes, int sendBufferBytes, boolean gso, boolean gro) {
    /** Kernel defaults: no port sharing, default buffers, no offloads. */
    public static final UdpOptions DEFAULTS = new UdpOptions(false, 0, 0, false, false);

    /** Validates the buffer sizes. */
    public UdpOptions {
        if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer sizes are 0 (kernel default) or positive, not "
                + receiveBufferBytes + " and " + sendBufferBytes);
        }
    }

    /**
     * The data-plane setup: port sharing, GSO and GRO on, and {@code bufferBytes} for both
     * buffers (wireguard-go uses 7 MiB).
     */
    public static UdpOptions dataPlane(int bufferBytes) {
        return new UdpOptions(true, bufferBytes, bufferBytes, true, true);
    }
}
