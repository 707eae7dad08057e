package io.qgate.engine.protocol;

import io.qgate.engine.trust.Certificate;

/**
 * The outcome of a completed handshake: what the data plane needs to build a keypair, and who
 * the peer is.
 *
 * @param suite the negotiated suite
 * @param initiator whether we were the initiator
 * @param localIndex our index (the receiver index of packets sent to us)
 * @param remoteIndex the peer's index (the receiver index of packets we send)
 * @param peerCertificate the peer's verified certificate, or {@code null} for an anonymous initiator
 * @param chains the two directions' chain secrets; the receiver of this record owns and erases them
 * @param transcriptHash TH7, the hash of the whole handshake (for logs and vectors: not secret)
 */
public record Established(Suite suite, boolean initiator, int localIndex, int remoteIndex,
        Certificate peerCertificate, KeySchedule.TrafficChains chains, byte[] transcriptHash) {

    /** The chain we seal with. */
    public io.qgate.crypto.SecretBytes sendChain() {
        return initiator ? chains.initiatorToResponder() : chains.responderToInitiator();
    }

    /** The chain we open with. */
    public io.qgate.crypto.SecretBytes receiveChain() {
        return initiator ? chains.responderToInitiator() : chains.initiatorToResponder();
    }
}
