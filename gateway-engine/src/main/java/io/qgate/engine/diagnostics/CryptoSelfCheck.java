package io.qgate.engine.diagnostics;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadAuthenticationException;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.kdf.CShake256;
import io.qgate.crypto.kdf.Hkdf;
import io.qgate.crypto.kdf.HkdfHash;
import io.qgate.crypto.kdf.Kmac256;
import io.qgate.crypto.kdf.Sha3;
import io.qgate.crypto.kdf.Shake256;
import io.qgate.crypto.kem.Kem;
import io.qgate.crypto.kem.KemAlgorithm;
import io.qgate.crypto.kem.KemEncapsulation;
import io.qgate.crypto.kem.KemKeyPair;
import io.qgate.crypto.kem.Kems;
import io.qgate.crypto.kem.X25519;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import io.qgate.crypto.sig.SigningKeyPair;
import io.qgate.ffm.oqs.LibOqs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Exercises every algorithm on every backend qgate has, and reports what works here, what is
 * not installed, and what fails. Each check is a round trip plus a tamper check that must be
 * rejected, and, where two backends exist, agreement between them; the hash family is checked
 * against FIPS 202 known answers.
 *
 * <p>A backend that does not offer an algorithm at all (the JDK has no Falcon) gives no result;
 * one that offers it but whose native library is not installed here gives {@link Status#UNAVAILABLE}
 * with the reason.
 */
public final class CryptoSelfCheck {
    /** How one check ended. */
    public enum Status { OK, UNAVAILABLE, FAILED }

    /** One algorithm on one backend. */
    public record Result(String family, String algorithm, Backend backend, Status status, String detail, long micros) {
    }

    private static final byte[] MESSAGE = "qgate self-check".getBytes(StandardCharsets.US_ASCII);
    private static final int PACKET = 1420;

    private final SecureRandom random = new SecureRandom();

    /** Runs every check; never throws for a failing check, which is reported as FAILED. */
    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        for (AeadAlgorithm alg : AeadAlgorithm.values()) {
            for (Backend b : List.of(Backend.JDK, Backend.OPENSSL)) {
                check(results, "aead", alg.id(), b, () -> Aeads.isAvailable(b) ? null : Aeads.unavailableReason(b),
                    () -> aead(alg, b));
            }
        }
        for (KemAlgorithm alg : KemAlgorithm.values()) {
            for (Backend b : List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS)) {
                check(results, "kem", alg.id(), b,
                    () -> Kems.isAvailable(b, alg) ? null : Kems.unavailableReason(b, alg), () -> kem(alg, b));
            }
        }
        results.add(check("key agreement", "x25519", Backend.JDK, this::x25519));
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            for (Backend b : List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS)) {
                check(results, "signature", alg.id(), b,
                    () -> SignatureSchemes.isAvailable(b, alg) ? null : SignatureSchemes.unavailableReason(b, alg),
                    () -> signature(alg, b));
            }
        }
        results.add(check("hash", "sha3-256, sha3-512", Backend.JDK, CryptoSelfCheck::sha3));
        results.add(check("xof/kdf", "shake256, cshake256, kmac256", Backend.BOUNCY_CASTLE, CryptoSelfCheck::sha3Kdfs));
        results.add(check("kdf", "hkdf-sha256, hkdf-sha384", Backend.JDK, CryptoSelfCheck::hkdf));
        return results;
    }

    private interface Check {
        String run() throws Exception;
    }

    private interface Availability {
        String unavailableReason();
    }

    private static void check(List<Result> results, String family, String algorithm, Backend backend,
                              Availability availability, Check check) {
        String reason = availability.unavailableReason();
        if (reason == null) {
            results.add(check(family, algorithm, backend, check));
        } else if (reason.equals(missingLibrary(backend))) {
            results.add(new Result(family, algorithm, backend, Status.UNAVAILABLE, reason, 0));
        }
    }

    /** Why a backend's native library is not loaded here, or null when it is (or it needs none). */
    private static String missingLibrary(Backend backend) {
        return switch (backend) {
            case LIBOQS -> LibOqs.unavailableReason();
            case OPENSSL -> Aeads.isAvailable(Backend.OPENSSL) ? null : Aeads.unavailableReason(Backend.OPENSSL);
            case JDK, BOUNCY_CASTLE -> null;
        };
    }

    private static Result check(String family, String algorithm, Backend backend, Check check) {
        long start = System.nanoTime();
        try {
            String detail = check.run();
            return new Result(family, algorithm, backend, Status.OK, detail, (System.nanoTime() - start) / 1000);
        } catch (Exception | AssertionError e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Result(family, algorithm, backend, Status.FAILED, detail, (System.nanoTime() - start) / 1000);
        }
    }

    private String aead(AeadAlgorithm alg, Backend backend) {
        byte[] keyBytes = bytes(AeadAlgorithm.KEY_LENGTH);
        byte[] plain = bytes(PACKET);
        try (Arena arena = Arena.ofConfined();
             SecretBytes key = SecretBytes.wrap(keyBytes);
             AeadCipher cipher = Aeads.create(backend, alg, key)) {
            MemorySegment nonce = arena.allocate(AeadAlgorithm.NONCE_LENGTH);
            MemorySegment aad = arena.allocate(16);
            nonce.copyFrom(MemorySegment.ofArray(bytes(AeadAlgorithm.NONCE_LENGTH)));
            aad.copyFrom(MemorySegment.ofArray(bytes(16)));
            MemorySegment packet = arena.allocate(PACKET + AeadAlgorithm.TAG_LENGTH);
            packet.asSlice(0, PACKET).copyFrom(MemorySegment.ofArray(plain));
            int sealed = cipher.seal(nonce, aad, packet, PACKET);
            byte[] wire = packet.asSlice(0, sealed).toArray(ValueLayout.JAVA_BYTE);

            String agreement = "";
            Backend other = backend == Backend.JDK ? Backend.OPENSSL : Backend.JDK;
            if (Aeads.isAvailable(other)) {
                try (AeadCipher peer = Aeads.create(other, alg, key)) {
                    require(peer.open(nonce, aad, packet, sealed) == PACKET, "wrong opened length");
                    require(packet.asSlice(0, PACKET).mismatch(MemorySegment.ofArray(plain)) == -1,
                        other.id() + " opened different plaintext");
                    agreement = ", " + other.id() + " opens it";
                }
                packet.asSlice(0, sealed).copyFrom(MemorySegment.ofArray(wire));
            }
            require(cipher.open(nonce, aad, packet, sealed) == PACKET, "wrong opened length");
            require(packet.asSlice(0, PACKET).mismatch(MemorySegment.ofArray(plain)) == -1, "round trip differs");

            wire[sealed - 1] ^= 1;
            packet.asSlice(0, sealed).copyFrom(MemorySegment.ofArray(wire));
            try {
                cipher.open(nonce, aad, packet, sealed);
                throw new AssertionError("a packet with a modified tag was accepted");
            } catch (AeadAuthenticationException expected) {
                require(isZero(packet.asSlice(0, PACKET)), "plaintext left in the buffer after a failed open");
            }
            return "seal/open " + PACKET + " B off-heap" + agreement + ", modified tag rejected";
        }
    }

    private String kem(KemAlgorithm alg, Backend backend) {
        Kem kem = Kems.create(backend, alg);
        try (KemKeyPair pair = kem.generateKeyPair()) {
            KemEncapsulation enc = kem.encapsulate(pair.publicKey());
            try (SecretBytes sent = enc.sharedSecret(); SecretBytes got = kem.decapsulate(pair.privateKey(), enc.ciphertext())) {
                require(sent.equalsConstantTime(got), "decapsulated secret differs");
                byte[] tampered = enc.ciphertext().clone();
                tampered[0] ^= 1;
                try (SecretBytes rejected = kem.decapsulate(pair.privateKey(), tampered)) {
                    require(!rejected.equalsConstantTime(sent), "a modified ciphertext gave the same secret");
                }
            }
            String agreement = "";
            Backend other = backend == Backend.JDK ? Backend.BOUNCY_CASTLE : Backend.JDK;
            if (Kems.isAvailable(other, alg)) {
                KemEncapsulation fromPeer = Kems.create(other, alg).encapsulate(pair.publicKey());
                try (SecretBytes sent = fromPeer.sharedSecret();
                     SecretBytes got = kem.decapsulate(pair.privateKey(), fromPeer.ciphertext())) {
                    require(sent.equalsConstantTime(got), other.id() + " encapsulation not decapsulated");
                }
                agreement = ", decapsulates " + other.id() + "'s encapsulation";
            }
            return "keygen/encaps/decaps" + agreement + ", modified ciphertext rejected implicitly";
        }
    }

    private String x25519() {
        try (SecretBytes a = X25519.generatePrivateKey(); SecretBytes b = X25519.generatePrivateKey();
             SecretBytes ab = X25519.agree(a, X25519.publicKey(b)); SecretBytes ba = X25519.agree(b, X25519.publicKey(a))) {
            require(ab.equalsConstantTime(ba), "the two sides derived different secrets");
            return "both sides agree";
        }
    }

    private String signature(SignatureAlgorithm alg, Backend backend) {
        SignatureScheme scheme = SignatureSchemes.create(backend, alg);
        try (SigningKeyPair pair = scheme.generateKeyPair()) {
            byte[] context = new byte[0];
            byte[] sig = scheme.sign(pair.privateKey(), MESSAGE, context);
            require(scheme.verify(pair.publicKey(), MESSAGE, context, sig), "own signature does not verify");
            byte[] other = MESSAGE.clone();
            other[0] ^= 1;
            require(!scheme.verify(pair.publicKey(), other, context, sig), "a signature verified a different message");
            String agreement = "";
            Backend peer = backend == Backend.JDK ? Backend.BOUNCY_CASTLE : Backend.JDK;
            if (SignatureSchemes.isAvailable(peer, alg)) {
                require(SignatureSchemes.create(peer, alg).verify(pair.publicKey(), MESSAGE, context, sig),
                    peer.id() + " does not verify it");
                agreement = ", " + peer.id() + " verifies it";
            }
            return "sign/verify (" + sig.length + " B signature)" + agreement + ", modified message rejected";
        }
    }

    /** FIPS 202 example values for "abc" (NIST Cryptographic Standards and Guidelines, SHA-3 examples). */
    private static String sha3() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        require(HexFormat.of().formatHex(Sha3.sha3_256(abc))
            .equals("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"), "SHA3-256(abc) is wrong");
        require(HexFormat.of().formatHex(Sha3.sha3_512(abc)).startsWith("b751850b1a57168a5693cd924b6b096e"),
            "SHA3-512(abc) is wrong");
        return "FIPS 202 known answers for \"abc\"";
    }

    private static String sha3Kdfs() {
        byte[] key = new byte[32];
        byte[] n = "qgate".getBytes(StandardCharsets.US_ASCII);
        require(java.util.Arrays.equals(CShake256.hash(MESSAGE, 64, new byte[0], new byte[0]), Shake256.hash(64, MESSAGE)),
            "cSHAKE256 with empty N and S differs from SHAKE256");
        require(!java.util.Arrays.equals(CShake256.hash(MESSAGE, 64, n, new byte[0]), Shake256.hash(64, MESSAGE)),
            "cSHAKE256 ignores its function name");
        try (SecretBytes k = SecretBytes.wrap(key)) {
            byte[] tag = Kmac256.mac(k, MESSAGE, 32, n);
            require(Kmac256.verify(k, MESSAGE, tag, n), "KMAC256 does not verify its own tag");
            tag[0] ^= 1;
            require(!Kmac256.verify(k, MESSAGE, tag, n), "KMAC256 accepted a modified tag");
        }
        return "cSHAKE256 reduces to SHAKE256, KMAC256 tag checked";
    }

    private static String hkdf() {
        for (HkdfHash hash : HkdfHash.values()) {
            try (SecretBytes ikm = SecretBytes.copyOf(MESSAGE);
                 SecretBytes okm = Hkdf.of(hash).extractAndExpand(new byte[16], ikm, new byte[0], 42);
                 SecretBytes bc = Hkdf.of(hash, Backend.BOUNCY_CASTLE).extractAndExpand(new byte[16], ikm, new byte[0], 42)) {
                require(okm.length() == 42, "wrong HKDF output length");
                require(okm.equalsConstantTime(bc), "the JDK and Bouncy Castle disagree on " + hash);
            }
        }
        return "extract and expand, JDK and Bouncy Castle agree";
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static boolean isZero(MemorySegment s) {
        for (long i = 0; i < s.byteSize(); i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
