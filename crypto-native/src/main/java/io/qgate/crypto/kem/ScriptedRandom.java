package io.qgate.crypto.kem;

import io.qgate.crypto.CryptoException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;

/**
 * A {@link SecureRandom} that hands out given byte strings, in order and only in the given sizes,
 * so that a provider that draws its FIPS 203 randomness (d, z, m) from a {@code SecureRandom}
 * computes the deterministic KeyGen_internal / Encaps_internal. Any other request fails loudly,
 * so a provider that draws randomness differently can never silently yield other keys.
 */
final class ScriptedRandom extends SecureRandom {
    private final Script script;

    private ScriptedRandom(Script script) {
        super(script, null);
        this.script = script;
    }

    /** Copies {@code chunks}; {@link #finish()} wipes the copies. */
    static ScriptedRandom of(byte[]... chunks) {
        byte[][] copies = new byte[chunks.length][];
        for (int i = 0; i < chunks.length; i++) {
            copies[i] = chunks[i].clone();
        }
        return new ScriptedRandom(new Script(copies));
    }

    /** Wipes what is left, after the operation failed for its own reason. */
    void abandon() {
        script.wipe();
    }

    /** Wipes what is left and fails unless every chunk was drawn exactly once; call after the operation succeeded. */
    void finish(String operation) {
        int drawn = script.next;
        int expected = script.chunks.length;
        script.wipe();
        if (drawn != expected) {
            throw new CryptoException(operation + " drew " + drawn + " of " + expected
                + " expected random inputs: this JDK draws FIPS 203 randomness differently, use the bouncycastle backend");
        }
    }

    private static final class Script extends SecureRandomSpi {
        final byte[][] chunks;
        int next;

        Script(byte[][] chunks) {
            this.chunks = chunks;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // the script is the only source
        }

        @Override
        protected synchronized void engineNextBytes(byte[] bytes) {
            if (next >= chunks.length || chunks[next].length != bytes.length) {
                String wanted = next < chunks.length ? chunks[next].length + " bytes" : "nothing more";
                wipe();
                throw new CryptoException("the provider asked for " + bytes.length + " random bytes where FIPS 203 needs "
                    + wanted + ": deterministic mode is not possible with this JDK, use the bouncycastle backend");
            }
            System.arraycopy(chunks[next], 0, bytes, 0, bytes.length);
            Arrays.fill(chunks[next], (byte) 0);
            next++;
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new CryptoException("a scripted random source cannot generate seeds");
        }

        synchronized void wipe() {
            for (byte[] c : chunks) {
                Arrays.fill(c, (byte) 0);
            }
        }
    }
}
