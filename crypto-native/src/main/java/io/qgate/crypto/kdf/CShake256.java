package io.qgate.crypto.kdf;

import io.qgate.crypto.SecretBytes;
import org.bouncycastle.crypto.digests.CSHAKEDigest;

/**
 * cSHAKE256(X, L, N, S) of NIST SP 800-185, section 3, on Bouncy Castle's {@code CSHAKEDigest}:
 * SHAKE256 separated by a function name {@code N} and a customisation string {@code S}.
 * qgate derives session keys with it ({@code X} = key material, {@code N} = the derivation's
 * name, {@code S} = the session context). With {@code N} and {@code S} both empty it is SHAKE256.
 */
public final class CShake256 {
    static final String NAME = "cSHAKE256";

    private CShake256() {
    }

    /**
     * Derives an {@code outputLength}-byte key (1 byte to 1 MiB) from {@code key}. The returned
     * key is the caller's to destroy.
     */
    public static SecretBytes derive(SecretBytes key, int outputLength, byte[] functionName,
                                     byte[] customization) {
        if (key == null) {
            throw new IllegalArgumentException(NAME + " key is null: pass the input key material");
        }
        return SecretBytes.wrap(hash(key.bytes(), outputLength, functionName, customization));
    }

    /** The first {@code outputLength} bytes (1 to 1 MiB) of cSHAKE256 over a public {@code input}. */
    public static byte[] hash(byte[] input, int outputLength, byte[] functionName, byte[] customization) {
        Inputs.notNull(NAME, "input", input);
        Inputs.outputLength(NAME, outputLength, 1, Inputs.MAX_XOF_OUTPUT);
        CSHAKEDigest sponge = sponge(functionName, customization);
        sponge.update(input, 0, input.length);
        return Xof.finish(sponge, NAME, outputLength);
    }

    /** An empty incremental cSHAKE256 with the given function name and customisation. */
    public static Xof newXof(byte[] functionName, byte[] customization) {
        return new Xof(sponge(functionName, customization), NAME);
    }

    private static CSHAKEDigest sponge(byte[] functionName, byte[] customization) {
        return new CSHAKEDigest(256, Inputs.notNull(NAME, "function name", functionName),
            Inputs.notNull(NAME, "customization", customization));
    }
}
