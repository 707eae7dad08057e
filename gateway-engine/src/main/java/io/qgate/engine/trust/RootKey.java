package io.qgate.engine.trust;

import io.qgate.crypto.sig.MlDsaPublicKey;
import io.qgate.crypto.sig.SignatureAlgorithm;

/**
 * A trusted root's public key, prepared once for the many signatures it checks: every client's
 * certificate on a gateway's first handshake with that client, and every revocation list.
 *
 * <p>For ML-DSA the key is an {@link MlDsaPublicKey}, whose matrix A is expanded once instead of
 * in every verification: about 45 µs per ML-DSA-65 certificate instead of about 116 µs on the
 * JDK's ML-DSA (medians of one run; {@code docs/PERFORMANCE.md}, section Handshake). Other algorithms verify through
 * {@link TrustSignatures}. It costs about 37 KiB of heap per ML-DSA-65 root.
 *
 * <p>Thread-safe: immutable.
 */
final class RootKey {
    private final Certificate root;
    private final MlDsaPublicKey mlDsa;

    private RootKey(Certificate root, MlDsaPublicKey mlDsa) {
        this.root = root;
        this.mlDsa = mlDsa;
    }

    /**
     * The prepared key of {@code root}. {@link Certificate#parse} has checked the key's length,
     * which is all that {@link MlDsaPublicKey#decode} checks.
     */
    static RootKey of(Certificate root) {
        SignatureAlgorithm algorithm = root.keyAlgorithm();
        return new RootKey(root, algorithm.family() == SignatureAlgorithm.Family.ML_DSA
            ? MlDsaPublicKey.decode(algorithm, root.publicKeyView()) : null);
    }

    Certificate certificate() {
        return root;
    }

    /** Whether {@code signature} signs {@code label ‖ message} under this root, as {@link TrustSignatures#verifies}. */
    boolean verifies(byte[] label, byte[] message, byte[] signature) {
        if (mlDsa == null) {
            return TrustSignatures.verifies(root.keyAlgorithm(), root.publicKeyView(), label, message, signature);
        }
        return mlDsa.verify(TrustSignatures.labelled(label, message), TrustSignatures.NO_CONTEXT, signature);
    }
}
