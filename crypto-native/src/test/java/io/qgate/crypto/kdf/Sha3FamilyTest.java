package io.qgate.crypto.kdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.vectors.VectorFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.junit.jupiter.api.Test;

/**
 * SHA3-256/512, SHAKE256 and cSHAKE256: FIPS 202 known answers, and agreement between qgate's
 * one-shot and incremental forms, the JDK and Bouncy Castle.
 *
 * <p>Known answers: SHA3-256 and SHA3-512 of the empty message and of 200 bytes of A3 are
 * NIST's FIPS 202 example values (CSRC "Examples with Intermediate Values", SHA3-256_Msg0.pdf,
 * SHA3-256_1600.pdf, SHA3-512_Msg0.pdf, SHA3-512_1600.pdf); the "abc" digests are the widely
 * published FIPS 202 values (for example di-mgt.com.au "Test vectors for SHA-1, SHA-2 and SHA-3").
 */
class Sha3FamilyTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] A3_200 = filled((byte) 0xA3, 200);

    @Test
    void sha3_256MatchesFips202Examples() {
        assertArrayEquals(VectorFiles.hex("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
            Sha3.sha3_256());
        assertArrayEquals(VectorFiles.hex("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
            Sha3.sha3_256(ABC));
        assertArrayEquals(VectorFiles.hex("79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787"),
            Sha3.sha3_256(A3_200));
    }

    @Test
    void sha3_512MatchesFips202Examples() {
        assertArrayEquals(VectorFiles.hex("a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
            + "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"), Sha3.sha3_512());
        assertArrayEquals(VectorFiles.hex("b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            + "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"), Sha3.sha3_512(ABC));
        assertArrayEquals(VectorFiles.hex("e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
            + "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00"), Sha3.sha3_512(A3_200));
    }

    @Test
    void partsHashLikeTheirConcatenationAndAgreeWithBouncyCastle() {
        SplittableRandom random = new SplittableRandom(202);
        for (int length : new int[] {0, 1, 135, 136, 137, 1000}) {
            byte[] message = bytes(random, length);
            int cut = length / 3;
            byte[] head = Arrays.copyOfRange(message, 0, cut);
            byte[] tail = Arrays.copyOfRange(message, cut, length);
            assertArrayEquals(bouncyCastleSha3(256, message), Sha3.sha3_256(head, tail));
            assertArrayEquals(bouncyCastleSha3(512, message), Sha3.sha3_512(head, new byte[0], tail));
            assertArrayEquals(Sha3.sha3_256(message),
                Sha3.newSha3_256().update(message, 0, cut).update(message, cut, length - cut).digest());
        }
    }

    @Test
    void agreesWithTheJdkMessageDigestAtEveryRateBoundary() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int length : new int[] {0, 1, 71, 72, 73, 135, 136, 137, 1000, 8192, 11_087}) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(message), Sha3.sha3_256(message), "256/" + length);
            assertArrayEquals(MessageDigest.getInstance("SHA3-512").digest(message), Sha3.sha3_512(message), "512/" + length);
            Sha3.Hasher hasher = Sha3.newSha3_256().update(message, 0, length / 2);
            Sha3.Hasher fork = hasher.copy();
            hasher.update(message, length / 2, length - length / 2);
            assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(message), hasher.digest(), "incremental/" + length);
            assertArrayEquals(MessageDigest.getInstance("SHA3-256").digest(java.util.Arrays.copyOf(message, length / 2)),
                    fork.digest(), "fork/" + length);
        }
    }

    @Test
    void transcriptCopyForksWithoutDisturbingTheOriginal() {
        Sha3.Hasher transcript = Sha3.newSha3_256().update(ABC);
        Sha3.Hasher fork = transcript.copy().update(A3_200);
        assertArrayEquals(Sha3.sha3_256(ABC, A3_200), fork.digest());
        assertArrayEquals(Sha3.sha3_256(ABC), transcript.digest());
        assertArrayEquals(Sha3.sha3_256(), transcript.digest(), "digest() must start the hasher over");
        assertEquals(Sha3.SHA3_256_LENGTH, transcript.digestLength());
        assertEquals(Sha3.SHA3_512_LENGTH, Sha3.newSha3_512().digestLength());
    }

    @Test
    void shake256AgreesWithTheJdkFor64ByteOutput() throws Exception {
        SplittableRandom random = new SplittableRandom(256);
        for (int length : new int[] {0, 3, 136, 137, 500}) {
            byte[] message = bytes(random, length);
            byte[] jdk = MessageDigest.getInstance("SHAKE256-512").digest(message);
            assertEquals(64, jdk.length);
            assertArrayEquals(jdk, Shake256.hash(64, message));
            assertArrayEquals(jdk, CShake256.hash(message, 64, new byte[0], new byte[0]),
                "cSHAKE256 with empty N and S must be SHAKE256");
        }
    }

    @Test
    void squeezingInPiecesGivesOneContinuousStream() {
        byte[] whole = Shake256.hash(1000, ABC, A3_200);
        try (Xof xof = Shake256.newXof().absorb(ABC).absorb(A3_200)) {
            byte[] pieces = new byte[1000];
            int[] cuts = {1, 135, 136, 137, 500, 1000};
            int at = 0;
            for (int cut : cuts) {
                xof.squeeze(pieces, at, cut - at);
                at = cut;
            }
            assertArrayEquals(whole, pieces);
        }
        assertArrayEquals(Arrays.copyOf(whole, 32), Shake256.hash(32, ABC, A3_200), "output must not depend on L");
    }

    @Test
    void xofCopyAndResetBehaveAsDocumented() {
        Xof xof = CShake256.newXof("name".getBytes(StandardCharsets.US_ASCII), new byte[0]).absorb(ABC);
        Xof copy = xof.copy();
        byte[] first = xof.squeeze(64);
        assertArrayEquals(first, copy.squeeze(64));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> xof.absorb(ABC));
        assertTrue(e.getMessage().contains("cannot absorb after output was squeezed"), e.getMessage());
        xof.reset();
        assertArrayEquals(first, xof.absorb(ABC).squeeze(64), "reset must keep N and S");
        assertTrue(xof.toString().contains("cSHAKE256"));
    }

    @Test
    void cShake256SeparatesFunctionNamesAndCustomizations() {
        byte[] none = CShake256.hash(ABC, 32, new byte[0], new byte[0]);
        byte[] named = CShake256.hash(ABC, 32, ascii("session key"), new byte[0]);
        byte[] customised = CShake256.hash(ABC, 32, new byte[0], ascii("session key"));
        byte[] both = CShake256.hash(ABC, 32, ascii("session"), ascii(" key"));
        assertFalse(Arrays.equals(none, named));
        assertFalse(Arrays.equals(none, customised));
        assertFalse(Arrays.equals(named, customised));
        assertFalse(Arrays.equals(named, both));
    }

    private static byte[] bouncyCastleSha3(int bits, byte[] message) {
        SHA3Digest digest = new SHA3Digest(bits);
        digest.update(message, 0, message.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private static byte[] filled(byte value, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, value);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
