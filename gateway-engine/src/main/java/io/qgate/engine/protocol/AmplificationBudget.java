package io.qgate.engine.protocol;

/**
 * The anti-amplification rule of section 7 of {@code docs/PROTOCOL.md} (RFC 9000 section 8.1):
 * until a source address is validated, the responder sends it at most
 * {@value Protocol#AMPLIFICATION_FACTOR}× the datagram bytes it received for that initiation.
 * Bytes are whole UDP payloads, fragment headers included ({@link Fragmenter#datagramBytes},
 * {@link Reassembler.Complete#datagramBytes()}).
 */
public final class AmplificationBudget {
    private AmplificationBudget() {
    }

    /**
     * Whether the responder may send {@code responseBytes} to a source from which it received
     * {@code receivedBytes}: always if the address is validated (a valid cookie or an
     * authenticated packet from it), otherwise only within the factor.
     */
    public static boolean mayRespond(long receivedBytes, long responseBytes, boolean addressValidated) {
        checkNotNegative(receivedBytes, "received");
        long needed = bytesNeeded(responseBytes);
        return addressValidated || needed <= receivedBytes;
    }

    /**
     * The fewest bytes a source must send before {@code responseBytes} may go back to it
     * unvalidated: the detail of {@code HANDSHAKE_ERROR INITIATION_TOO_SHORT}.
     */
    public static long bytesNeeded(long responseBytes) {
        checkNotNegative(responseBytes, "response");
        return (responseBytes + Protocol.AMPLIFICATION_FACTOR - 1) / Protocol.AMPLIFICATION_FACTOR;
    }

    private static void checkNotNegative(long bytes, String what) {
        if (bytes < 0) {
            throw new IllegalArgumentException(what + " byte count " + bytes + " is negative");
        }
    }
}
