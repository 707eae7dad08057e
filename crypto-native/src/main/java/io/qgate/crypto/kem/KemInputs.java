package io.qgate.crypto.kem;

import io.qgate.crypto.Backend;

/** Length and ownership checks shared by every {@link Kem}, run before any input reaches a backend. */
final class KemInputs {
    private KemInputs() {
    }

    static void requireLength(KemAlgorithm algorithm, String what, byte[] value, int expected) {
        if (value == null) {
            throw new IllegalArgumentException(algorithm.id() + " " + what + " is missing: pass " + expected + " bytes");
        }
        if (value.length != expected) {
            throw new IllegalArgumentException(algorithm.id() + " " + what + " must be " + expected + " bytes but is "
                + value.length + ": check that the peer uses " + algorithm.id());
        }
    }

    static void requireOwnKey(KemAlgorithm algorithm, Backend backend, KemPrivateKey key) {
        if (key == null) {
            throw new IllegalArgumentException(algorithm.id() + " private key is missing");
        }
        if (key.algorithm() != algorithm || key.backend() != backend) {
            throw new IllegalArgumentException("a " + key.algorithm().id() + " private key of the " + key.backend().id()
                + " backend cannot be used with " + algorithm.id() + " on " + backend.id()
                + ": import its encoded() form into this backend");
        }
        key.checkLive();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
