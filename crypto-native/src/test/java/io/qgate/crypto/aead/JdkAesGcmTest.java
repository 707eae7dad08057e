package io.qgate.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.ChildJvm;
import io.qgate.crypto.SecretBytes;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkAesGcm}: AES-256-GCM on SunJCE's internals against SunJCE's own {@link Cipher}. The
 * build runs tests with pom.xml's {@code --add-opens}, so here it is in use; the JVMs without
 * it are children.
 */
class JdkAesGcmTest {
    private static final int TAG = AeadAlgorithm.TAG_LENGTH;

    @Test
    void isInUseUnderTheBuildsFlags() {
        assertNull(JdkAesGcm.unavailableReason());
        try (AeadCipher cipher = Aeads.create(Backend.JDK, AeadAlgorithm.AES_256_GCM, SecretBytes.wrap(new byte[32]));
             AeadCipher chacha = Aeads.create(Backend.JDK, AeadAlgorithm.CHACHA20_POLY1305, SecretBytes.wrap(new byte[32]))) {
            assertTrue(((JdkAeadCipher) cipher).isDirect());
            assertFalse(((JdkAeadCipher) chacha).isDirect());
        }
    }

    /**
     * Every length up to 1,100 bytes and the ones around the combined loop's 512-byte runs, at an
     * offset inside a larger array, with associated data of 0 to 40 bytes; then 20,000 more packets
     * so that the JIT compiles the calls and HotSpot's intrinsics do the work (the first ones run
     * the JDK's Java code).
     */
    @Test
    void sealsAndOpensAsSunJceDoesBeforeAndAfterCompilation() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[] key = bytes(random, 32);
        Cipher jca = Cipher.getInstance("AES/GCM/NoPadding", JdkAeadCipher.PROVIDER);
        SecretKeySpec jcaKey = new SecretKeySpec(key, "AES");
        JdkAesGcm gcm = new JdkAesGcm(key.clone());
        int[] large = {1023, 1024, 1025, 1420, 1535, 1536, 1537, 2047, 4096 + 15, 9000, 65_535};
        for (int i = 0; i < 1101 + large.length + 20_000; i++) {
            int length = i <= 1100 ? i : i < 1101 + large.length ? large[i - 1101] : random.nextInt(2100);
            byte[] nonce = bytes(random, 12);
            nonce[0] = (byte) i;
            nonce[1] = (byte) (i >>> 8);
            nonce[2] = (byte) (i >>> 16);
            byte[] aad = bytes(random, random.nextInt(41));
            byte[] plain = bytes(random, length);
            jca.init(Cipher.ENCRYPT_MODE, jcaKey, new GCMParameterSpec(128, nonce));
            jca.updateAAD(aad);
            byte[] expected = jca.doFinal(plain);

            int offset = 3;
            byte[] buffer = new byte[offset + length + TAG + 5];
            System.arraycopy(plain, 0, buffer, offset, length);
            gcm.seal(nonce, aad, 0, aad.length, buffer, offset, length);
            assertArrayEquals(expected, Arrays.copyOfRange(buffer, offset, offset + length + TAG), "sealing " + length + " bytes");

            byte[] out = new byte[length];
            assertTrue(gcm.open(nonce, aad, 0, aad.length, buffer, offset, length, out), "opening " + length + " bytes");
            assertArrayEquals(plain, out, "opening " + length + " bytes");
        }
        gcm.close();
    }

    @Test
    void anyAlteredByteFailsTheTag() {
        SplittableRandom random = new SplittableRandom(11);
        JdkAesGcm gcm = new JdkAesGcm(bytes(random, 32));
        byte[] nonce = bytes(random, 12);
        byte[] aad = bytes(random, 16);
        int length = 1420;
        byte[] sealed = new byte[length + TAG];
        random.nextBytes(sealed);
        gcm.seal(nonce, aad, 0, aad.length, sealed, 0, length);
        byte[] out = new byte[length];
        assertTrue(gcm.open(nonce, aad, 0, aad.length, sealed, 0, length, out));
        for (int position : new int[] {0, 511, 512, 1023, 1024, 1419, 1420, 1435}) {
            byte[] altered = sealed.clone();
            altered[position] ^= 0x20;
            assertFalse(gcm.open(nonce, aad, 0, aad.length, altered, 0, length, out), "altered at " + position);
        }
        byte[] otherAad = aad.clone();
        otherAad[15] ^= 1;
        assertFalse(gcm.open(nonce, otherAad, 0, otherAad.length, sealed, 0, length, out));
        byte[] otherNonce = nonce.clone();
        otherNonce[11] ^= 1;
        assertFalse(gcm.open(otherNonce, aad, 0, aad.length, sealed, 0, length, out));
        assertFalse(gcm.open(nonce, aad, 0, aad.length - 1, sealed, 0, length, out), "shorter associated data");
        gcm.close();
    }

    @Test
    void refusesTheNonceOfThePreviousSealAndTheBufferIsUntouched() {
        JdkAesGcm gcm = new JdkAesGcm(new byte[32]);
        byte[] nonce = new byte[12];
        gcm.seal(nonce, new byte[0], 0, 0, new byte[64 + TAG], 0, 64);
        byte[] buffer = new byte[64 + TAG];
        Arrays.fill(buffer, (byte) 9);
        var e = assertThrows(IllegalArgumentException.class, () -> gcm.seal(nonce, new byte[0], 0, 0, buffer, 0, 64));
        assertTrue(e.getMessage().startsWith("nonce reuse"), e.getMessage());
        byte[] nines = new byte[64 + TAG];
        Arrays.fill(nines, (byte) 9);
        assertArrayEquals(nines, buffer);
        nonce[11] = 1;
        gcm.seal(nonce, new byte[0], 0, 0, buffer, 0, 64);
        gcm.close();
    }

    /** The intrinsics check no bounds, so the class does: a bad range writes nothing. */
    @Test
    void rangesOutsideTheirArraysAreRefusedBeforeAnythingIsWritten() {
        JdkAesGcm gcm = new JdkAesGcm(new byte[32]);
        byte[] nonce = new byte[12];
        byte[] aad = new byte[16];
        byte[] data = new byte[100 + TAG];
        byte[] out = new byte[100];
        Arrays.fill(data, (byte) 5);
        byte[] fives = data.clone();
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.seal(nonce, aad, 0, 16, data, 1, 100), "no room for the tag");
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.seal(nonce, aad, 0, 16, data, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.seal(nonce, aad, 8, 16, data, 0, 100), "associated data");
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.seal(new byte[11], aad, 0, 16, data, 0, 100), "nonce");
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.open(nonce, aad, 0, 16, data, 0, 100, new byte[99]), "out");
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.open(nonce, aad, 0, 16, data, 17, 100, out), "in");
        assertThrows(IndexOutOfBoundsException.class, () -> gcm.open(nonce, aad, -1, 16, data, 0, 100, out));
        assertArrayEquals(fives, data);
        assertArrayEquals(new byte[100], out);
        gcm.seal(nonce, aad, 0, 16, data, 0, 100);
        assertTrue(gcm.open(nonce, aad, 0, 16, data, 0, 100, out), "still usable");
        gcm.close();
    }

    @Test
    void closeWipesTheHashKeyAndRefusesUse() {
        JdkAesGcm gcm = new JdkAesGcm(bytes(new SplittableRandom(5), 32));
        gcm.seal(new byte[12], new byte[0], 0, 0, new byte[600 + TAG], 0, 600);
        assertTrue(Arrays.stream(gcm.hashKeyTableForTest()).anyMatch(v -> v != 0), "H is in the table before close");
        gcm.close();
        assertTrue(Arrays.stream(gcm.hashKeyTableForTest()).allMatch(v -> v == 0));
        assertThrows(IllegalStateException.class, () -> gcm.open(new byte[12], new byte[0], 0, 0, new byte[TAG], 0, 0, new byte[0]));
        gcm.close();
    }

    @Test
    void aJvmWithoutTheOpenedPackageOrWithItTurnedOffUsesTheJca() throws Exception {
        String closed = ChildJvm.run(List.of(), Probe.class);
        assertTrue(closed.contains("unavailable: the JVM was started without --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED"),
            closed);
        assertTrue(closed.contains("direct: false, round trip: true"), closed);
        String off = ChildJvm.run(List.of("--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED",
            "-D" + JdkAesGcm.PROPERTY + "=false"), Probe.class);
        assertTrue(off.contains("unavailable: turned off by -Dqgate.aes.gcm.direct=false"), off);
        assertTrue(off.contains("direct: false, round trip: true"), off);
        String on = ChildJvm.run(List.of("--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED"), Probe.class);
        assertTrue(on.contains("unavailable: null") && on.contains("direct: true, round trip: true"), on);
    }

    /** Run in a JVM of its own: says whether the direct AES-GCM is used, and seals and opens one packet. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("unavailable: " + JdkAesGcm.unavailableReason());
            try (AeadCipher cipher = Aeads.create(Backend.JDK, AeadAlgorithm.AES_256_GCM, SecretBytes.wrap(new byte[32]))) {
                byte[] packet = new byte[100 + TAG];
                Arrays.fill(packet, 0, 100, (byte) 42);
                MemorySegment nonce = MemorySegment.ofArray(new byte[12]);
                MemorySegment aad = MemorySegment.ofArray(new byte[16]);
                cipher.seal(nonce, aad, MemorySegment.ofArray(packet), 100);
                int opened = cipher.open(nonce, aad, MemorySegment.ofArray(packet), 100 + TAG);
                boolean same = opened == 100;
                for (int i = 0; i < 100; i++) {
                    same &= packet[i] == 42;
                }
                System.out.println("direct: " + ((JdkAeadCipher) cipher).isDirect() + ", round trip: " + same);
            }
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
