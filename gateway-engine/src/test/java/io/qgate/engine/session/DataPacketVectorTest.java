package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole DATA packets for the test vectors of docs/PROTOCOL.md section 9: {@code chain_0} = bytes
 * 00 01 .. 1f, receiver index 0x01020304, plaintext "qgate", counters 0 and 2^22 (epoch 1). The
 * expected datagram is built here from the section's formulas with {@code javax.crypto} directly,
 * and pinned as hex.
 */
class DataPacketVectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int RECEIVER = 0x0102_0304;
    private static final byte[] PLAINTEXT = "qgate".getBytes(StandardCharsets.US_ASCII);

    private static SecretBytes vectorChain() {
        byte[] chain = new byte[32];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (byte) i;
        }
        return SecretBytes.wrap(chain);
    }

    @ParameterizedTest
    @CsvSource({
        "MLKEM768_MLDSA65_AES256GCM, 0, " + "04010000010203040000000000000000dc810f4c7d8defa3fc1d7774afbcca58e04bf089d9",
        "MLKEM768_MLDSA65_AES256GCM, 4194304, " + "04010001010203040000000000400000b75c68043a104060ca2f26b116a9b77a4309ce4840",
        "MLKEM768_MLDSA65_CHACHA20POLY1305, 0, " + "04010000010203040000000000000000708173db76ebf6a52dda860250552589754fa4ee17",
    })
    void sealsTheSpecifiedDatagram(Suite suite, long counter, String expectedHex) throws Exception {
        Keypair keypair = new Keypair(suite, 7, RECEIVER, vectorChain(), KeypairFixture.chain(9), 0, 1, Backend.JDK,
            counter, Protocol.INTEGRITY_LIMIT);
        MemorySegment packet = KeypairFixture.packet(PLAINTEXT);

        int length = keypair.seal(0, packet, PLAINTEXT.length, KeypairFixture.DATA, 0);
        byte[] datagram = packet.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);

        assertArrayEquals(independentlySealed(suite, counter), datagram);
        assertEquals(expectedHex, HEX.formatHex(datagram));
    }

    /** The datagram from the formulas of sections 6 and 9, with the JDK's Cipher. */
    private static byte[] independentlySealed(Suite suite, long counter) throws Exception {
        int epoch = (int) (counter >>> Protocol.EPOCH_SHIFT);
        SecretBytes chain = vectorChain();
        for (int e = 0; e < epoch; e++) {
            SecretBytes next = TrafficKeys.ratchet(chain, e);
            chain.destroy();
            chain = next;
        }
        byte[] okm = TrafficKeys.derive(chain, epoch);
        byte[] header = new byte[16];
        new DataHeader().wrap(MemorySegment.ofArray(header))
            .type(4).version(1).epoch(epoch).receiverIndex(RECEIVER).counter(counter);
        byte[] nonce = Arrays.copyOfRange(okm, 32, 44);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (counter >>> (56 - 8 * i));
        }
        boolean gcm = suite.aead() == AeadAlgorithm.AES_256_GCM;
        Cipher cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(okm, 0, 32, gcm ? "AES" : "ChaCha20"),
            gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
        cipher.updateAAD(header);
        byte[] sealed = cipher.doFinal(PLAINTEXT);
        byte[] datagram = Arrays.copyOf(header, 16 + sealed.length);
        System.arraycopy(sealed, 0, datagram, 16, sealed.length);
        return datagram;
    }
}
