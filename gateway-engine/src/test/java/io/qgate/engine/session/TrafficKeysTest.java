package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.crypto.macs.KMAC;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class TrafficKeysTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The vectors of docs/PROTOCOL.md section 9 for chain_0 = 00 01 .. 1f. */
    private static final String KEY_0 = "34761abe7f74831b87cb7644c3090d3247e75e36513d57b6612eafc8c016e60b";
    private static final String IV_0 = "809ac244570055d357de8fb7";
    private static final String CHAIN_1 = "9b2d01888638f29a52810fa81b8c6491e1725ada1533317d57fef9e5e6bca26a";
    private static final String KEY_1 = "fc46fdd588902242db331436aea2cd58605d46b143d3e4e59453fce980173ad7";
    private static final String IV_1 = "9da287f2dfaca28894d36163";

    /** chain_0 of the test vectors in docs/PROTOCOL.md section 9: bytes 00 01 .. 1f. */
    private static SecretBytes vectorChain() {
        byte[] chain = new byte[TrafficKeys.CHAIN_LENGTH];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (byte) i;
        }
        return SecretBytes.wrap(chain);
    }

    /** KMAC256 from Bouncy Castle's own KMAC class, independent of io.qgate.crypto.kdf.Kmac256. */
    private static byte[] referenceKmac(byte[] key, int epoch, int length, String label) {
        KMAC kmac = new KMAC(256, ("qgate-v1 " + label).getBytes(StandardCharsets.US_ASCII));
        kmac.init(new KeyParameter(key));
        kmac.update(new byte[] {(byte) (epoch >>> 8), (byte) epoch}, 0, 2);
        byte[] out = new byte[length];
        kmac.doFinal(out, 0, length);
        return out;
    }

    @Test
    void deriveAndRatchetAreKmac256WithTheSpecifiedLabelsAndEpochEncoding() {
        try (SecretBytes chain = vectorChain()) {
            for (int epoch : new int[] {0, 1, 258, Protocol.MAX_EPOCH}) {
                assertArrayEquals(referenceKmac(chain.bytes(), epoch, 44, "traffic"), TrafficKeys.derive(chain, epoch));
                try (SecretBytes next = TrafficKeys.ratchet(chain, epoch)) {
                    assertArrayEquals(referenceKmac(chain.bytes(), epoch, 32, "ratchet"), next.bytes());
                }
            }
        }
    }

    @Test
    void matchesTheTestVectorsOfTheSpecification() {
        try (SecretBytes chain0 = vectorChain(); SecretBytes chain1 = TrafficKeys.ratchet(chain0, 0)) {
            byte[] okm0 = TrafficKeys.derive(chain0, 0);
            byte[] okm1 = TrafficKeys.derive(chain1, 1);
            assertEquals(KEY_0, HEX.formatHex(okm0, 0, 32));
            assertEquals(IV_0, HEX.formatHex(okm0, 32, 44));
            assertEquals(CHAIN_1, HEX.formatHex(chain1.bytes()));
            assertEquals(KEY_1, HEX.formatHex(okm1, 0, 32));
            assertEquals(IV_1, HEX.formatHex(okm1, 32, 44));
        }
    }


    @Test
    void derivationIsDeterministicAndEveryEpochHasItsOwnKeyIvAndChain() {
        Set<String> seen = new HashSet<>();
        SecretBytes chain = vectorChain();
        for (int epoch = 0; epoch < 16; epoch++) {
            byte[] okm = TrafficKeys.derive(chain, epoch);
            assertArrayEquals(okm, TrafficKeys.derive(chain, epoch));
            assertTrue(seen.add(HEX.formatHex(okm, 0, 32)), "key of epoch " + epoch + " repeats");
            assertTrue(seen.add(HEX.formatHex(okm, 32, 44)), "iv of epoch " + epoch + " repeats");
            SecretBytes next = TrafficKeys.ratchet(chain, epoch);
            assertTrue(seen.add(HEX.formatHex(next.bytes())), "chain " + (epoch + 1) + " repeats");
            chain.destroy();
            chain = next;
        }
        chain.destroy();
        try (SecretBytes chain0 = vectorChain()) {
            assertFalse(Arrays.equals(TrafficKeys.derive(chain0, 0), TrafficKeys.derive(chain0, 1)),
                "the epoch number must be an input");
        }
    }

    @Test
    void installedCipherSealsWithKeyAndIvOfItsEpoch() {
        try (SecretBytes chain0 = vectorChain(); SecretBytes chain1 = TrafficKeys.ratchet(chain0, 0);
                SecretBytes chain2 = TrafficKeys.ratchet(chain1, 1)) {
            byte[] okm2 = TrafficKeys.derive(chain2, 2);
            TrafficKeys keys = new TrafficKeys(vectorChain(), AeadAlgorithm.AES_256_GCM, Backend.JDK);
            EpochCipher slot = new EpochCipher();

            keys.install(2, slot);

            assertEquals(2, slot.epoch());
            assertEquals(3, keys.nextEpoch());
            MemorySegment nonce = MemorySegment.ofArray(new byte[12]);
            slot.nonce(0x0102_0304_0506_0708L, nonce);
            byte[] expectedNonce = Arrays.copyOfRange(okm2, 32, 44);
            for (int i = 0; i < 8; i++) {
                expectedNonce[4 + i] ^= (byte) (0x0102_0304_0506_0708L >>> (56 - 8 * i));
            }
            assertArrayEquals(expectedNonce, nonce.toArray(ValueLayout.JAVA_BYTE));
            byte[] sealedBySlot = sealZeros(slot.cipher(), nonce);
            try (SecretBytes key = SecretBytes.copyOf(Arrays.copyOf(okm2, 32));
                    AeadCipher reference = Aeads.create(Backend.JDK, AeadAlgorithm.AES_256_GCM, key)) {
                assertArrayEquals(sealZeros(reference, nonce), sealedBySlot);
            }
            slot.retire();
            keys.close();
        }
    }

    private static byte[] sealZeros(AeadCipher cipher, MemorySegment nonce) {
        byte[] buffer = new byte[8 + 16];
        cipher.seal(nonce, MemorySegment.ofArray(new byte[3]), MemorySegment.ofArray(buffer), 8);
        return buffer;
    }

    @Test
    void chainsAreErasedWhenRatchetedPastAndEarlierEpochsCannotBeDerived() {
        SecretBytes chain0 = vectorChain();
        TrafficKeys keys = new TrafficKeys(chain0, AeadAlgorithm.CHACHA20_POLY1305, Backend.JDK);
        EpochCipher slot = new EpochCipher();

        keys.install(3, slot);

        assertTrue(chain0.isDestroyed(), "chain_0 must be erased once chain_1 exists");
        assertEquals(4, keys.nextEpoch());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keys.install(3, new EpochCipher()));
        assertTrue(e.getMessage().contains("epoch 4"), e.getMessage());
        AeadCipher cipher = slot.cipher();
        slot.retire();
        assertTrue(slot.isErased());
        assertThrows(IllegalStateException.class, () -> sealZeros(cipher, MemorySegment.ofArray(new byte[12])),
            "a retired epoch's cipher must have erased its key");
        keys.close();
        assertTrue(keys.isErased());
        assertThrows(IllegalStateException.class, () -> keys.install(5, new EpochCipher()));
    }

    @Test
    void theLastEpochLeavesNoChainBehind() {
        TrafficKeys keys = new TrafficKeys(vectorChain(), AeadAlgorithm.AES_256_GCM, Backend.JDK);
        EpochCipher slot = new EpochCipher();
        keys.install(Protocol.MAX_EPOCH, slot);
        assertNotNull(slot.cipher());
        assertTrue(keys.isErased(), "no chain_65536 is kept");
        assertThrows(IllegalArgumentException.class, () -> keys.install(Protocol.MAX_EPOCH + 1, new EpochCipher()));
        slot.retire();
    }

    @Test
    void refusesChainsOfTheWrongLengthAndEpochsOutsideU16() {
        SecretBytes short31 = SecretBytes.wrap(new byte[31]);
        assertThrows(IllegalArgumentException.class,
            () -> new TrafficKeys(short31, AeadAlgorithm.AES_256_GCM, Backend.JDK));
        assertTrue(short31.isDestroyed(), "ownership of a refused chain is taken too");
        try (SecretBytes chain = vectorChain()) {
            assertThrows(IllegalArgumentException.class, () -> TrafficKeys.derive(chain, -1));
            assertThrows(IllegalArgumentException.class, () -> TrafficKeys.ratchet(chain, Protocol.MAX_EPOCH + 1));
        }
    }
}
