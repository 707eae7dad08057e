package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handshake's AEAD step picks its own backend ({@link HandshakeCrypto#aeadBackend}); a peer
 * may seal on another one, so a message must open whichever backend sealed it.
 */
class HandshakeCryptoTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] TRANSCRIPT_HASH = new byte[32];
    private static final byte[] ZERO_NONCE = new byte[12];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) (i + 1);
            TRANSCRIPT_HASH[i] = (byte) (0xA0 + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void sealsTheSameBytesAsTheOtherAeadBackendAndOpensThem(Suite suite) throws ProtocolException {
        Backend other = HandshakeCrypto.AEAD_BACKEND == Backend.JDK ? Backend.OPENSSL : Backend.JDK;
        assumeTrue(Aeads.isAvailable(other), "only one AEAD backend here");
        byte[] plaintext = "certificate, signature and finished".getBytes(StandardCharsets.US_ASCII);
        try (SecretBytes key = SecretBytes.copyOf(KEY)) {
            byte[] sealedHere = HandshakeCrypto.seal(suite, key, TRANSCRIPT_HASH, plaintext);
            assertArrayEquals(sealOn(other, suite, key, plaintext), sealedHere);
            assertArrayEquals(plaintext, HandshakeCrypto.open(suite, key, TRANSCRIPT_HASH, sealedHere, "test payload"));
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void refusesSealedPayloadUnderAnotherTranscriptHash(Suite suite) {
        try (SecretBytes key = SecretBytes.copyOf(KEY)) {
            byte[] sealed = HandshakeCrypto.seal(suite, key, TRANSCRIPT_HASH, new byte[100]);
            byte[] otherHash = TRANSCRIPT_HASH.clone();
            otherHash[0] ^= 1;
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> HandshakeCrypto.open(suite, key, otherHash, sealed, "test payload"));
            assertEquals(ErrorCode.KEY_CONFIRMATION_FAILED, e.error());
        }
    }

    private static byte[] sealOn(Backend backend, Suite suite, SecretBytes key, byte[] plaintext) {
        byte[] buffer = Arrays.copyOf(plaintext, plaintext.length + Protocol.TAG_LENGTH);
        try (AeadCipher aead = Aeads.create(backend, suite.aead(), key)) {
            aead.seal(MemorySegment.ofArray(ZERO_NONCE), MemorySegment.ofArray(TRANSCRIPT_HASH),
                    MemorySegment.ofArray(buffer), plaintext.length);
        }
        return buffer;
    }
}
