package io.qgate.crypto.kdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.macs.KMAC;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** KMAC256 properties the key confirmation relies on, and agreement with Bouncy Castle's KMAC. */
class Kmac256Test {
    private static final byte[] S = "qgate key confirmation".getBytes(StandardCharsets.US_ASCII);
    private final SplittableRandom random = new SplittableRandom(185);

    @Test
    void agreesWithBouncyCastleKmacAcrossKeyMessageAndLengthSizes() {
        for (int keyLength : new int[] {32, 64, 133, 136, 200}) {
            for (int messageLength : new int[] {0, 1, 135, 136, 137, 1024}) {
                for (int outputLength : new int[] {16, 32, 64, 137}) {
                    byte[] key = bytes(keyLength);
                    byte[] message = bytes(messageLength);
                    KMAC reference = new KMAC(256, S);
                    reference.init(new KeyParameter(key));
                    reference.update(message, 0, message.length);
                    byte[] expected = new byte[outputLength];
                    reference.doFinal(expected, 0, outputLength);
                    try (SecretBytes k = SecretBytes.wrap(key)) {
                        assertArrayEquals(expected, Kmac256.mac(k, message, outputLength, S),
                            "key " + keyLength + ", message " + messageLength + ", L " + outputLength);
                    }
                }
            }
        }
    }

    @Test
    void tagDependsOnKeyCustomizationAndOutputLength() {
        byte[] message = bytes(64);
        try (SecretBytes key = SecretBytes.wrap(bytes(32)); SecretBytes other = SecretBytes.wrap(bytes(32))) {
            byte[] tag = Kmac256.mac(key, message, 32, S);
            assertFalse(Arrays.equals(tag, Kmac256.mac(other, message, 32, S)));
            assertFalse(Arrays.equals(tag, Kmac256.mac(key, message, 32, new byte[0])));
            byte[] longer = Kmac256.mac(key, message, 64, S);
            assertFalse(Arrays.equals(tag, Arrays.copyOf(longer, 32)), "L must be bound into the tag");
        }
    }

    @Test
    void verifyRejectsEveryFlippedBitAndATruncatedTag() {
        byte[] message = bytes(100);
        try (SecretBytes key = SecretBytes.wrap(bytes(32)); Kmac256 kmac = Kmac256.keyed(key, S)) {
            byte[] tag = kmac.mac(message, 32);
            assertTrue(kmac.verify(message, tag));
            for (int bit = 0; bit < tag.length * 8; bit++) {
                byte[] bad = tag.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertFalse(kmac.verify(message, bad), "flipped bit " + bit);
            }
            assertFalse(kmac.verify(message, Arrays.copyOf(tag, 16)));
            byte[] otherMessage = message.clone();
            otherMessage[0] ^= 1;
            assertFalse(kmac.verify(otherMessage, tag));
        }
    }

    @Test
    void destroyedInstanceRefusesWorkAndNeverPrintsTheKey() {
        byte[] keyBytes = bytes(32);
        Kmac256 kmac;
        try (SecretBytes key = SecretBytes.copyOf(keyBytes)) {
            kmac = Kmac256.keyed(key, S);
        }
        byte[] tag = kmac.mac(new byte[1], 32);
        String hex = HexFormat.of().formatHex(keyBytes);
        assertFalse(kmac.toString().contains(hex.substring(0, 8)));
        kmac.destroy();
        assertTrue(kmac.isDestroyed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kmac.mac(new byte[1], 32));
        assertTrue(e.getMessage().contains("used after it was destroyed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> kmac.verify(new byte[1], tag));
    }

    private byte[] bytes(int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }
}
