package io.qgate.perf;

import java.nio.file.Path;

/**
 * The configuration file of one OpenVPN 2.6 peer in the benchmark: point-to-point over UDP between
 * the veth addresses, a tun device, TLS with the throwaway PKI of {@link OpenVpnPki} (B is the TLS
 * server, A the client), and AES-256-GCM as the only data-channel cipher.
 *
 * <p>Static-key mode ({@code --secret}) is not used: in 2.6 it is deprecated and only allows the
 * CBC ciphers of {@code --cipher}, never GCM, so it would not measure the cipher the others use.
 * The config carries no {@code ifconfig}: the harness puts the same inner addresses on the tun
 * device as on every other tunnel ({@link InnerAddresses}). The inner MTU is 1420 like
 * WireGuard's; OpenVPN's own overhead with AES-GCM over IPv4 UDP (20 + 8 + 4 opcode and peer id
 * + 4 packet id + 16 tag = 52 bytes) fits in the 80 left of the veth's 1500.
 *
 * @param device the tun device to create, {@code qgo-<id>-a}
 * @param side   whose end this is
 * @param pki    the directory of {@link OpenVpnPki#create}
 */
public record OpenVpnConfig(String device, Side side, Path pki) {
    /** The inner MTU, WireGuard's, so that TCP segments are the same size through every tunnel. */
    public static final int MTU = 1420;
    /** The only data-channel cipher offered (openvpn(8): --data-ciphers). */
    public static final String CIPHER = "AES-256-GCM";

    /** The file's text, one option per line in openvpn(8)'s config syntax. */
    public String render() {
        Side peer = side.peer();
        boolean server = side == Side.B;
        return "# written by tunnel-bench for " + side.suffix() + "; see perf/README.md\n"
            + "dev " + device + "\n"
            + "dev-type tun\n"
            + "proto udp\n"
            + "local " + side.outerAddress() + "\n"
            + "lport " + Side.TUNNEL_PORT + "\n"
            + "remote " + peer.outerAddress() + "\n"
            + "rport " + Side.TUNNEL_PORT + "\n"
            + "tun-mtu " + MTU + "\n"
            + "data-ciphers " + CIPHER + "\n"
            + "ca " + pki.resolve(OpenVpnPki.CA_CERT) + "\n"
            + "cert " + pki.resolve(OpenVpnPki.cert(side)) + "\n"
            + "key " + pki.resolve(OpenVpnPki.key(side)) + "\n"
            + (server ? "tls-server\ndh none\nremote-cert-tls client\n" : "tls-client\nremote-cert-tls server\n")
            + "verb 3\n";
    }
}
