package io.qgate.perf;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code ip xfrm} and {@code ip route} arguments that make kernel IPsec between the two
 * namespaces: ESP in tunnel mode between the veth (outer) addresses, AES-256-GCM as
 * {@code rfc4106(gcm(aes))} (RFC 4106: a 32-byte key followed by a 4-byte salt, a 16-byte ICV),
 * two static SAs (one per direction, the same on both sides) and a policy per direction that
 * sends the inner IPv4 addresses through them. No key exchange: the keys are random per run.
 *
 * <p>The inner address goes on the veth as a /32 and the peer's inner /32 is routed over the veth
 * with MTU {@link #MTU}, the inner MTU of the other tunnels; the output policy then encrypts what
 * that route carries.
 *
 * @param aToB the key and salt of the SA from A to B, {@link #KEY_BYTES} bytes
 * @param bToA the key and salt of the SA from B to A
 */
public record XfrmConfig(byte[] aToB, byte[] bToA) {
    /** The kernel's name of AES-GCM for ESP (include/crypto and net/xfrm: "rfc4106(gcm(aes))"). */
    public static final String AEAD = "rfc4106(gcm(aes))";
    /** AES-256 key (32 bytes) plus RFC 4106's 4-byte salt. */
    public static final int KEY_BYTES = 36;
    /** ICV length in bits: RFC 4106's 16 bytes. */
    public static final int ICV_BITS = 128;
    /** Inner MTU of the routes through the tunnel, the same as the other tunnels'. */
    public static final int MTU = 1420;
    /** SPIs, arbitrary but fixed so that a capture is easy to read. */
    static final String SPI_A_TO_B = "0x0000a0b0";
    static final String SPI_B_TO_A = "0x0000b0a0";

    public XfrmConfig {
        if (aToB.length != KEY_BYTES || bToA.length != KEY_BYTES) {
            throw new IllegalArgumentException("an rfc4106(gcm(aes)) key for AES-256 is " + KEY_BYTES + " bytes (key and salt).");
        }
        aToB = aToB.clone();
        bToA = bToA.clone();
    }

    /** The arguments of {@code ip -n <ns>} that make one SA: from {@code from}'s veth to its peer's. */
    static List<String> state(Side from, String spi, byte[] key) {
        return List.of("xfrm", "state", "add", "src", from.outerAddress(), "dst", from.peer().outerAddress(),
            "proto", "esp", "spi", spi, "reqid", reqid(from), "mode", "tunnel",
            "aead", AEAD, "0x" + HexFormat.of().formatHex(key), Integer.toString(ICV_BITS));
    }

    /** The reqid that ties a direction's SA to its policy template. */
    private static String reqid(Side from) {
        return from == Side.A ? "1" : "2";
    }

    /** A policy sending {@code from}'s inner address to its peer's through the SA {@code from} to peer. */
    static List<String> policy(Side from, String dir) {
        Side to = from.peer();
        return List.of("xfrm", "policy", "add", "src", from.innerAddress4() + "/32", "dst", to.innerAddress4() + "/32",
            "dir", dir, "tmpl", "src", from.outerAddress(), "dst", to.outerAddress(), "proto", "esp",
            "reqid", reqid(from), "mode", "tunnel");
    }

    /**
     * Every {@code ip -n <ns>} argument list for {@code side}, in order: both SAs, the output and
     * input policies, the inner address on the veth and the route to the peer's inner address.
     */
    public List<List<String>> commands(Side side, String veth) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(state(Side.A, SPI_A_TO_B, aToB));
        lines.add(state(Side.B, SPI_B_TO_A, bToA));
        lines.add(policy(side, "out"));
        lines.add(policy(side.peer(), "in"));
        lines.add(List.of("addr", "add", side.innerAddress4() + "/32", "dev", veth));
        lines.add(List.of("route", "add", side.peer().innerAddress4() + "/32", "dev", veth,
            "src", side.innerAddress4(), "mtu", Integer.toString(MTU)));
        return lines;
    }
}
