package io.qgate.perf;

/**
 * The two ends of a benchmark: {@code A} runs the iperf3 client, {@code B} the server. The
 * addresses are fixed so that every tunnel is measured between the same endpoints: the veth pair
 * carries the outer (underlay) traffic, the tunnel interface the inner traffic.
 */
public enum Side {
    A("a", "192.168.241.1", "10.241.0.1", "fd41::1"),
    B("b", "192.168.241.2", "10.241.0.2", "fd41::2");

    /** Prefix of the outer addresses on the veth pair. */
    public static final int OUTER_PREFIX = 30;
    /** Prefix of the inner IPv4 addresses on the tunnel interface. */
    public static final int INNER4_PREFIX = 24;
    /** Prefix of the inner IPv6 addresses on the tunnel interface. */
    public static final int INNER6_PREFIX = 64;
    /** UDP port both tunnels listen on (WireGuard's customary port). */
    public static final int TUNNEL_PORT = 51820;

    private final String suffix;
    private final String outer;
    private final String inner4;
    private final String inner6;

    Side(String suffix, String outer, String inner4, String inner6) {
        this.suffix = suffix;
        this.outer = outer;
        this.inner4 = inner4;
        this.inner6 = inner6;
    }

    /** "a" or "b": the end of namespace and interface names. */
    public String suffix() {
        return suffix;
    }

    public String outerAddress() {
        return outer;
    }

    public String innerAddress4() {
        return inner4;
    }

    public String innerAddress6() {
        return inner6;
    }

    public Side peer() {
        return this == A ? B : A;
    }
}
