package io.qgate.crypto.sig;

import io.qgate.crypto.InvalidPublicKeyException;
import java.util.Objects;

/** Argument checks shared by every backend, so they all reject the same inputs the same way. */
final class SignatureInputs {
    private SignatureInputs() {
    }

    static void checkContext(byte[] context) {
        Objects.requireNonNull(context, "context (use an empty array for none)");
        if (context.length > SignatureScheme.MAX_CONTEXT_LENGTH) {
            throw new IllegalArgumentException("the signature context is " + context.length
                + " bytes but at most 255 are allowed: shorten it");
        }
    }

    static void checkLength(byte[] value, int expected, String what) {
        Objects.requireNonNull(value, what);
        if (value.length != expected) {
            throw new IllegalArgumentException("the " + what + " is " + value.length + " bytes but must be "
                + expected + ": check that it is the raw encoding for this algorithm");
        }
    }

    static void checkPublicKey(SignatureAlgorithm algorithm, byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != algorithm.publicKeyLength()) {
            throw new InvalidPublicKeyException("the " + algorithm.id() + " public key is " + publicKey.length
                + " bytes but must be " + algorithm.publicKeyLength() + ": check that it is the raw key, not DER or PEM");
        }
    }

    static void checkSignInputs(byte[] message, byte[] context) {
        Objects.requireNonNull(message, "message");
        checkContext(context);
    }

    /** Whether a signature has a length this algorithm could produce; others are rejected unseen. */
    static boolean plausibleSignatureLength(SignatureAlgorithm algorithm, byte[] signature) {
        Objects.requireNonNull(signature, "signature");
        return algorithm.hasFixedSignatureLength()
            ? signature.length == algorithm.signatureLength()
            : signature.length > 41 && signature.length <= algorithm.signatureLength();
    }
}
