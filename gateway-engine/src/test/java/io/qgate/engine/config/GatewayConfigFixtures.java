package io.qgate.engine.config;

/** Configuration texts shared by the parser's tests and its fuzz target's seeds. */
public final class GatewayConfigFixtures {
    /** A configuration using most keys; line numbers matter to the tests' expected messages. */
    public static final String GOOD = """
        # gateway a
        [interface]
        name = "qg0"
        listen = "192.168.241.1:51820"
        address = ["10.241.0.1/24", "fd41::1/64"]
        mtu = 1420
        certificate = "gw-a.crt"
        private_key = "/etc/qgate/gw-a.key"
        trust_roots = ["root.crt"]
        suites = ["mlkem768-mldsa65-aes256gcm-sha3"]
        workers = 2

        [[peer]]
        name = "gw-b"
        subject = "gw-b"
        endpoint = "192.168.241.2:51820"   # the other side
        allowed_ips = ["10.241.0.2/32", "fd41::2/128"]

        [[peer]]
        name = "roaming"
        allowed_ips = ["10.241.0.3/32"]
        """;

    /** The fewest keys a gateway needs. */
    public static final String MINIMAL = """
        [interface]
        name = "qg0"
        certificate = "a.crt"
        private_key = "a.key"
        trust_roots = ["r.crt"]

        [[peer]]
        name = "b"
        allowed_ips = ["10.0.0.2"]
        """;

    private GatewayConfigFixtures() {
    }
}
